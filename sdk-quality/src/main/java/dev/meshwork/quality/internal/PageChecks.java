package dev.meshwork.quality.internal;

import dev.meshwork.core.schema.DataType;
import dev.meshwork.core.schema.PrimitiveType;
import dev.meshwork.quality.Check;
import dev.meshwork.quality.Measure;
import dev.meshwork.spi.write.ColumnCheck;
import dev.meshwork.spi.write.ColumnPage;
import dev.meshwork.spi.write.DoublePage;
import dev.meshwork.spi.write.FieldAccessor;
import dev.meshwork.spi.write.LongPage;
import dev.meshwork.spi.write.Utf8Page;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Single-column checks a store can run on the pages it encodes (see {@link ColumnCheck}), keeping
 * the same state the check's row observer would: what the encoder already knows per page (nulls,
 * bounds) settles most of them without looking at values, dictionary entries are judged once, and
 * only the rest is a tight loop over the page's primitive values.
 */
final class PageChecks {
  private PageChecks() {}

  /** The page form of {@code c}, or null when it must read rows. */
  static ColumnCheck of(Evaluator.Compiled<?> c, DataType type, FieldAccessor<?> accessor) {
    Check check = c.check();
    if (check.columns().size() != 1 || !(type instanceof PrimitiveType t)) {
      return null;
    }
    return check.measure().accept(new PageForm(c, check.columns().get(0), t, accessor));
  }

  /** The page form of each kind of check, or null for kinds that must read rows. */
  private static final class PageForm implements Measure.Visitor<ColumnCheck> {
    private final Evaluator.Compiled<?> c;
    private final String column;
    private final PrimitiveType t;
    private final ColumnCheck.Form form;
    private final FieldAccessor<?> accessor;

    PageForm(Evaluator.Compiled<?> c, String column, PrimitiveType t, FieldAccessor<?> accessor) {
      this.c = c;
      this.column = column;
      this.t = t;
      this.form = form(t);
      this.accessor = accessor;
    }

    @Override
    public ColumnCheck nullValues(Measure.NullValues m) {
      return form == null ? null : new Nulls(c, column, form);
    }

    @Override
    public ColumnCheck missingValues(Measure.MissingValues m) {
      return form == null || !m.values().isEmpty() ? null : new Nulls(c, column, form);
    }

    @Override
    public ColumnCheck invalidValues(Measure.InvalidValues m) {
      return invalid(c, m, column, t);
    }

    @Override
    public ColumnCheck duplicateValues(Measure.DuplicateValues m) {
      // Only primitive accessors: their row observer counts the value itself, not its hash.
      return (t == PrimitiveType.LONG || t == PrimitiveType.INT)
              && (accessor instanceof FieldAccessor.OfLong<?>
                  || accessor instanceof FieldAccessor.OfInt<?>)
          ? new Distinct(c, column)
          : null;
    }

    @Override
    public ColumnCheck rowCount(Measure.RowCount m) {
      return null;
    }

    @Override
    public ColumnCheck freshness(Measure.Freshness m) {
      return t == PrimitiveType.DATE
          ? new Freshness(c, column, 86_400_000_000L)
          : t == PrimitiveType.TIMESTAMP || t == PrimitiveType.TIMESTAMP_TZ
              ? new Freshness(c, column, 1)
              : null;
    }

    @Override
    public ColumnCheck rowPredicate(Measure.RowPredicate m) {
      return null;
    }

    @Override
    public ColumnCheck rowExpression(Measure.RowExpression m) {
      return null;
    }

    @Override
    public ColumnCheck metricExpression(Measure.MetricExpression m) {
      return null;
    }

    @Override
    public ColumnCheck anomaly(Measure.AnomalyOf m) {
      return null;
    }

    @Override
    public ColumnCheck reference(Measure.Reference m) {
      return null;
    }

    @Override
    public ColumnCheck notExecutable(Measure.NotExecutable m) {
      return null;
    }
  }

  private static ColumnCheck.Form form(PrimitiveType t) {
    return switch (t) {
      case INT, LONG, DATE, TIMESTAMP, TIMESTAMP_TZ -> ColumnCheck.Form.INTEGER;
      case FLOAT, DOUBLE -> ColumnCheck.Form.FLOATING;
      case STRING -> ColumnCheck.Form.UTF8;
      default -> null;
    };
  }

  private static ColumnCheck invalid(
      Evaluator.Compiled<?> c, Measure.InvalidValues check, String column, PrimitiveType t) {
    boolean lengths = check.minLength() != null || check.maxLength() != null;
    boolean range = check.minimum() != null || check.maximum() != null;
    if (lengths) {
      return null;
    }
    if (check.validValues() == null && check.pattern() == null) {
      return switch (t) {
        case INT, LONG -> new LongRange(c, column);
        case FLOAT, DOUBLE -> new DoubleRange(c, column);
        default -> null;
      };
    }
    if (t != PrimitiveType.STRING || range) {
      return null;
    }
    if (check.pattern() == null) {
      // Text categories compared as UTF-8; '?' is what the encoder writes for an unpaired
      // surrogate.
      if (!check.validValues().stream()
          .allMatch(v -> v instanceof String s && s.indexOf('?') < 0 && wellFormed(s))) {
        return null;
      }
      return new Allowed(c, column, check.validValues().stream().map(v -> (String) v).toList());
    }
    FastPattern.Simple simple =
        check.validValues() == null ? FastPattern.simple(check.pattern()) : null;
    return simple == null ? null : new Matches(c, column, simple);
  }

  private static boolean wellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isSurrogate(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** The common part: the check's state and its column. */
  private abstract static class Base implements ColumnCheck {
    final Evaluator.Compiled<?> compiled;
    final Evaluator.State state;
    private final String column;
    private final Form form;

    Base(Evaluator.Compiled<?> compiled, String column, Form form) {
      this.compiled = compiled;
      this.state = compiled.state();
      this.column = column;
      this.form = form;
    }

    @Override
    public String column() {
      return column;
    }

    @Override
    public Form form() {
      return form;
    }

    @Override
    public String toString() {
      return compiled.check().id() + " on the pages of " + column;
    }
  }

  /** Nulls: the page's null count. */
  private static final class Nulls extends Base {
    Nulls(Evaluator.Compiled<?> c, String column, Form form) {
      super(c, column, form);
    }

    private void page(ColumnPage page) {
      state.considered += page.entries();
      state.failed += page.nulls();
    }

    @Override
    public void integers(LongPage page) {
      page(page);
    }

    @Override
    public void floating(DoublePage page) {
      page(page);
    }

    @Override
    public void utf8(Utf8Page page) {
      page(page);
    }
  }

  /** A numeric range over whole numbers: values are read only when a bound of the page is out. */
  private static final class LongRange extends Base {
    LongRange(Evaluator.Compiled<?> c, String column) {
      super(c, column, Form.INTEGER);
    }

    @Override
    public void integers(LongPage page) {
      state.considered += page.entries();
      int n = page.count();
      if (n == 0 || compiled.inRange(page.min()) && compiled.inRange(page.max())) {
        return;
      }
      long failed = 0;
      for (int i = 0; i < n; i++) {
        if (!compiled.inRange(page.get(i))) {
          failed++;
        }
      }
      state.failed += failed;
    }
  }

  /**
   * A numeric range over floating-point numbers. The page's bounds follow {@link Double#compare}: a
   * NaN makes the maximum NaN, which is out of any range, so its values are read.
   */
  private static final class DoubleRange extends Base {
    DoubleRange(Evaluator.Compiled<?> c, String column) {
      super(c, column, Form.FLOATING);
    }

    @Override
    public void floating(DoublePage page) {
      state.considered += page.entries();
      int n = page.count();
      if (n == 0 || compiled.inRange(page.min()) && compiled.inRange(page.max())) {
        return;
      }
      long failed = 0;
      for (int i = 0; i < n; i++) {
        if (!compiled.inRange(page.get(i))) {
          failed++;
        }
      }
      state.failed += failed;
    }
  }

  /** The latest date or timestamp: the page's maximum, in microseconds. */
  private static final class Freshness extends Base {
    private final long micros;

    Freshness(Evaluator.Compiled<?> c, String column, long microsPerUnit) {
      super(c, column, Form.INTEGER);
      this.micros = microsPerUnit;
    }

    @Override
    public void integers(LongPage page) {
      state.considered += page.entries();
      if (page.count() > 0) {
        state.nonNull += page.count();
        state.maxMicros = Math.max(state.maxMicros, page.max() * micros);
      }
    }
  }

  /** Distinct whole numbers. */
  private static final class Distinct extends Base {
    Distinct(Evaluator.Compiled<?> c, String column) {
      super(c, column, Form.INTEGER);
    }

    @Override
    public void integers(LongPage page) {
      state.considered += page.entries();
      int n = page.count();
      state.nonNull += n;
      DistinctCounter d = state.distinct;
      for (int i = 0; i < n; i++) {
        d.addLong(page.get(i));
      }
    }
  }

  /** A test of each text value's UTF-8 bytes; dictionary entries are judged once per dictionary. */
  private abstract static class Text extends Base {
    private long dictionary = -1;
    // Per dictionary entry: 0 not judged yet, 1 passes, 2 fails.
    private byte[] judged = new byte[64];

    Text(Evaluator.Compiled<?> c, String column) {
      super(c, column, Form.UTF8);
    }

    abstract boolean passes(byte[] bytes, int offset, int length);

    @Override
    public void utf8(Utf8Page page) {
      state.considered += page.entries();
      int n = page.count();
      long failed = 0;
      if (page.dictionaryEncoded()) {
        if (page.dictionaryKey() != dictionary) {
          dictionary = page.dictionaryKey();
          Arrays.fill(judged, (byte) 0);
        }
        int[] ids = page.ids();
        byte[] arena = page.arena();
        for (int i = 0; i < n; i++) {
          int id = ids[i];
          if (id >= judged.length) {
            judged = Arrays.copyOf(judged, Math.max(id + 1, judged.length * 2));
          }
          byte j = judged[id];
          if (j == 0) {
            j = passes(arena, page.start(id), page.length(id)) ? (byte) 1 : (byte) 2;
            judged[id] = j;
          }
          if (j == 2) {
            failed++;
          }
        }
      } else {
        byte[] plain = page.plain();
        int at = 0;
        for (int i = 0; i < n; i++) {
          int length =
              plain[at] & 0xFF
                  | (plain[at + 1] & 0xFF) << 8
                  | (plain[at + 2] & 0xFF) << 16
                  | (plain[at + 3] & 0xFF) << 24;
          at += 4;
          if (!passes(plain, at, length)) {
            failed++;
          }
          at += length;
        }
      }
      state.failed += failed;
    }
  }

  /** A simple pattern (one ASCII class, repeated). */
  private static final class Matches extends Text {
    private final FastPattern.Simple pattern;

    Matches(Evaluator.Compiled<?> c, String column, FastPattern.Simple pattern) {
      super(c, column);
      this.pattern = pattern;
    }

    @Override
    boolean passes(byte[] bytes, int offset, int length) {
      return pattern.test(bytes, offset, length);
    }
  }

  /** Allowed text values, compared as UTF-8. */
  private static final class Allowed extends Text {
    private final byte[][] table;
    private final int mask;

    Allowed(Evaluator.Compiled<?> c, String column, java.util.List<String> values) {
      super(c, column);
      int size = Integer.highestOneBit(Math.max(4, values.size() * 4) - 1) << 1;
      table = new byte[size][];
      mask = size - 1;
      for (String v : values) {
        byte[] b = v.getBytes(StandardCharsets.UTF_8);
        int i = hash(b, 0, b.length) & mask;
        while (table[i] != null && !Arrays.equals(table[i], b)) {
          i = (i + 1) & mask;
        }
        table[i] = b;
      }
    }

    @Override
    boolean passes(byte[] bytes, int offset, int length) {
      int i = hash(bytes, offset, length) & mask;
      while (true) {
        byte[] e = table[i];
        if (e == null) {
          return false;
        }
        if (e.length == length && Arrays.equals(e, 0, length, bytes, offset, offset + length)) {
          return true;
        }
        i = (i + 1) & mask;
      }
    }

    private static int hash(byte[] b, int offset, int length) {
      int h = 0x811C9DC5;
      for (int i = offset, end = offset + length; i < end; i++) {
        h = (h ^ b[i]) * 0x01000193;
      }
      return h ^ (h >>> 16);
    }
  }
}
