package dev.meshwork.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * The raw parquet-java baseline: a hand-written {@link WriteSupport} over the same rows, with the
 * row group, page and dictionary settings Iceberg uses by default. No Iceberg, no metrics, no
 * commit.
 */
public final class RawParquet {
  static final MessageType SCHEMA =
      Types.buildMessage()
          .required(PrimitiveTypeName.INT64)
          .named("id")
          .required(PrimitiveTypeName.INT64)
          .named("mid_card")
          .required(PrimitiveTypeName.INT64)
          .named("low_card")
          .required(PrimitiveTypeName.INT32)
          .named("small")
          .optional(PrimitiveTypeName.DOUBLE)
          .named("measure")
          .required(PrimitiveTypeName.FLOAT)
          .named("ratio")
          .required(PrimitiveTypeName.BOOLEAN)
          .named("flag")
          .required(PrimitiveTypeName.INT64)
          .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS))
          .named("event_ts")
          .required(PrimitiveTypeName.INT32)
          .as(LogicalTypeAnnotation.dateType())
          .named("event_date")
          .required(PrimitiveTypeName.BINARY)
          .as(LogicalTypeAnnotation.stringType())
          .named("category")
          .required(PrimitiveTypeName.BINARY)
          .as(LogicalTypeAnnotation.stringType())
          .named("payload")
          .named("table");

  private RawParquet() {}

  /** Writes the rows to a local Parquet file. */
  public static void write(List<BenchRow> rows, Path file, CompressionCodecName codec)
      throws IOException {
    try (ParquetWriter<BenchRow> w =
        new Builder(new LocalOutputFile(file))
            .withCompressionCodec(codec)
            .withRowGroupSize(128L * 1024 * 1024)
            .withPageSize(1024 * 1024)
            .withDictionaryPageSize(2 * 1024 * 1024)
            .withDictionaryEncoding(true)
            .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
            .withConf(new Configuration(false))
            .build()) {
      for (BenchRow r : rows) {
        w.write(r);
      }
    }
  }

  private static final class Builder extends ParquetWriter.Builder<BenchRow, Builder> {
    Builder(org.apache.parquet.io.OutputFile file) {
      super(file);
    }

    @Override
    protected Builder self() {
      return this;
    }

    // The Hadoop-Configuration variants are the abstract ones parquet-java still requires.
    @Override
    @SuppressWarnings("deprecation")
    protected WriteSupport<BenchRow> getWriteSupport(Configuration conf) {
      return new Support();
    }
  }

  private static final class Support extends WriteSupport<BenchRow> {
    private RecordConsumer out;

    @Override
    @SuppressWarnings("deprecation")
    public WriteContext init(Configuration configuration) {
      return new WriteContext(SCHEMA, new HashMap<>());
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      this.out = recordConsumer;
    }

    @Override
    public void write(BenchRow r) {
      out.startMessage();
      longField(0, "id", r.id());
      longField(1, "mid_card", r.midCard());
      longField(2, "low_card", r.lowCard());
      out.startField("small", 3);
      out.addInteger(r.small());
      out.endField("small", 3);
      if (r.measure() != null) {
        out.startField("measure", 4);
        out.addDouble(r.measure());
        out.endField("measure", 4);
      }
      out.startField("ratio", 5);
      out.addFloat(r.ratio());
      out.endField("ratio", 5);
      out.startField("flag", 6);
      out.addBoolean(r.flag());
      out.endField("flag", 6);
      longField(
          7, "event_ts", r.eventTs().getEpochSecond() * 1_000_000L + r.eventTs().getNano() / 1_000);
      out.startField("event_date", 8);
      out.addInteger((int) r.eventDate().toEpochDay());
      out.endField("event_date", 8);
      out.startField("category", 9);
      out.addBinary(Binary.fromString(r.category()));
      out.endField("category", 9);
      out.startField("payload", 10);
      out.addBinary(Binary.fromString(r.payload()));
      out.endField("payload", 10);
      out.endMessage();
    }

    private void longField(int index, String name, long v) {
      out.startField(name, index);
      out.addLong(v);
      out.endField(name, index);
    }
  }
}
