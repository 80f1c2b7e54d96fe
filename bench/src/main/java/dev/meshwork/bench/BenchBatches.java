package dev.meshwork.bench;

import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/** The benchmark rows as Arrow batches, built once per trial outside the measurement. */
public final class BenchBatches {
  /** Rows per batch: Arrow's usual batch size for columnar pipelines. */
  public static final int BATCH_ROWS = 65_536;

  private BenchBatches() {}

  private static Field field(String name, ArrowType type, boolean nullable) {
    return new Field(name, new FieldType(nullable, type, null), null);
  }

  /** The Arrow schema of the benchmark table's contract. */
  static Schema schema() {
    ArrowType int64 = new ArrowType.Int(64, true);
    return new Schema(
        List.of(
            field("id", int64, false),
            field("mid_card", int64, false),
            field("low_card", int64, false),
            field("small", new ArrowType.Int(32, true), false),
            field("measure", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE), true),
            field("ratio", new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE), false),
            field("flag", ArrowType.Bool.INSTANCE, false),
            field("event_ts", new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC"), false),
            field("event_date", new ArrowType.Date(DateUnit.DAY), false),
            field("category", ArrowType.Utf8.INSTANCE, false),
            field("payload", ArrowType.Utf8.INSTANCE, false)));
  }

  /** The rows in batches of {@link #BATCH_ROWS}; close them (and the allocator) after the trial. */
  public static List<VectorSchemaRoot> of(List<BenchRow> rows, BufferAllocator allocator) {
    List<VectorSchemaRoot> batches = new ArrayList<>();
    for (int from = 0; from < rows.size(); from += BATCH_ROWS) {
      int n = Math.min(BATCH_ROWS, rows.size() - from);
      VectorSchemaRoot root = VectorSchemaRoot.create(schema(), allocator);
      root.allocateNew();
      for (int i = 0; i < n; i++) {
        BenchRow r = rows.get(from + i);
        ((BigIntVector) root.getVector("id")).setSafe(i, r.id());
        ((BigIntVector) root.getVector("mid_card")).setSafe(i, r.midCard());
        ((BigIntVector) root.getVector("low_card")).setSafe(i, r.lowCard());
        ((IntVector) root.getVector("small")).setSafe(i, r.small());
        Float8Vector measure = (Float8Vector) root.getVector("measure");
        if (r.measure() == null) {
          measure.setNull(i);
        } else {
          measure.setSafe(i, r.measure());
        }
        ((Float4Vector) root.getVector("ratio")).setSafe(i, r.ratio());
        ((BitVector) root.getVector("flag")).setSafe(i, r.flag() ? 1 : 0);
        ((TimeStampMicroTZVector) root.getVector("event_ts"))
            .setSafe(i, ChronoUnit.MICROS.between(java.time.Instant.EPOCH, r.eventTs()));
        ((DateDayVector) root.getVector("event_date")).setSafe(i, (int) r.eventDate().toEpochDay());
        ((VarCharVector) root.getVector("category"))
            .setSafe(i, r.category().getBytes(StandardCharsets.UTF_8));
        ((VarCharVector) root.getVector("payload"))
            .setSafe(i, r.payload().getBytes(StandardCharsets.UTF_8));
      }
      root.setRowCount(n);
      batches.add(root);
    }
    return batches;
  }
}
