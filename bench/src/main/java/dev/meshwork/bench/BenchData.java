package dev.meshwork.bench;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;

/** The seeded benchmark rows, and the same rows as Iceberg generic records. */
public final class BenchData {
  private static final String[] CATEGORIES = new String[20];
  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  static {
    for (int i = 0; i < CATEGORIES.length; i++) {
      CATEGORIES[i] = "category-" + i;
    }
  }

  private BenchData() {}

  /** {@code n} rows from a seed. */
  public static List<BenchRow> rows(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<BenchRow> out = new ArrayList<>(n);
    long start = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond();
    LocalDate day0 = LocalDate.of(2026, 1, 1);
    char[] buf = new char[30];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < buf.length; c++) {
        buf[c] = ALPHABET[r.nextInt(ALPHABET.length)];
      }
      out.add(
          new BenchRow(
              i,
              r.nextInt(100_000),
              r.nextInt(16),
              r.nextInt(),
              r.nextInt(10) == 0 ? null : r.nextDouble() * 1_000,
              (float) r.nextDouble(),
              r.nextBoolean(),
              Instant.ofEpochSecond(start + r.nextInt(31_536_000), r.nextInt(1_000_000) * 1_000L),
              day0.plusDays(r.nextInt(365)),
              CATEGORIES[r.nextInt(CATEGORIES.length)],
              new String(buf)));
    }
    return out;
  }

  /** The rows as generic records of {@code schema} (the table's schema). */
  public static List<Record> records(List<BenchRow> rows, Schema schema) {
    List<Record> out = new ArrayList<>(rows.size());
    GenericRecord template = GenericRecord.create(schema);
    for (BenchRow b : rows) {
      Record rec = template.copy();
      rec.setField("id", b.id());
      rec.setField("mid_card", b.midCard());
      rec.setField("low_card", b.lowCard());
      rec.setField("small", b.small());
      rec.setField("measure", b.measure());
      rec.setField("ratio", b.ratio());
      rec.setField("flag", b.flag());
      rec.setField("event_ts", b.eventTs().atOffset(java.time.ZoneOffset.UTC));
      rec.setField("event_date", b.eventDate());
      rec.setField("category", b.category());
      rec.setField("payload", b.payload());
      out.add(rec);
    }
    return out;
  }
}
