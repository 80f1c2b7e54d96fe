package dev.meshwork.core.internal.arrow;

import dev.meshwork.core.schema.DataType;
import dev.meshwork.core.schema.DecimalType;
import dev.meshwork.core.schema.PrimitiveType;
import java.util.Optional;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarCharVector;

/** The contract column types an Arrow batch can carry, each with the one vector type it takes. */
enum ArrowColumn {
  LONG(BigIntVector.class, "Int(64, signed) (BigIntVector)"),
  INT(IntVector.class, "Int(32, signed) (IntVector)"),
  DOUBLE(Float8Vector.class, "FloatingPoint(DOUBLE) (Float8Vector)"),
  FLOAT(Float4Vector.class, "FloatingPoint(SINGLE) (Float4Vector)"),
  BOOLEAN(BitVector.class, "Bool (BitVector)"),
  STRING(VarCharVector.class, "Utf8 (VarCharVector)"),
  DATE(DateDayVector.class, "Date(DAY) (DateDayVector)"),
  TIMESTAMP(TimeStampMicroVector.class, "Timestamp(MICROSECOND, no zone) (TimeStampMicroVector)"),
  TIMESTAMP_TZ(
      TimeStampMicroTZVector.class, "Timestamp(MICROSECOND, UTC) (TimeStampMicroTZVector)"),
  DECIMAL(DecimalVector.class, "Decimal (DecimalVector)");

  final Class<? extends FieldVector> vector;
  final String arrowType;

  ArrowColumn(Class<? extends FieldVector> vector, String arrowType) {
    this.vector = vector;
    this.arrowType = arrowType;
  }

  /** The kind for a contract type, or empty when Arrow batches cannot carry it yet. */
  static Optional<ArrowColumn> of(DataType type) {
    if (type instanceof DecimalType) {
      return Optional.of(DECIMAL);
    }
    if (!(type instanceof PrimitiveType p)) {
      return Optional.empty();
    }
    return switch (p) {
      case LONG -> Optional.of(LONG);
      case INT -> Optional.of(INT);
      case DOUBLE -> Optional.of(DOUBLE);
      case FLOAT -> Optional.of(FLOAT);
      case BOOLEAN -> Optional.of(BOOLEAN);
      case STRING -> Optional.of(STRING);
      case DATE -> Optional.of(DATE);
      case TIMESTAMP -> Optional.of(TIMESTAMP);
      case TIMESTAMP_TZ -> Optional.of(TIMESTAMP_TZ);
      case BINARY, UUID, TIME -> Optional.empty();
    };
  }
}
