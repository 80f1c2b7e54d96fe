package dev.meshwork.iceberg.internal.parquet;

import dev.meshwork.core.ContractViolationException;
import dev.meshwork.core.Filter;
import dev.meshwork.core.StoreException;
import dev.meshwork.core.schema.DataType;
import dev.meshwork.core.schema.DecimalType;
import dev.meshwork.core.schema.PrimitiveType;
import dev.meshwork.spi.write.Member;
import dev.meshwork.spi.write.ScalarShape;
import dev.meshwork.spi.write.StructShape;
import dev.meshwork.spi.write.ValueShapes;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.iceberg.expressions.Expressions;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * Decodes the rows of Parquet data files straight into values of a flat shape: the columns the
 * shape asks for (found by Iceberg field id) are decoded page by page ({@link ColumnDecoder}) and
 * each value goes once from its physical type to the component's Java type, without Iceberg's
 * generic records in between. With a filter, row groups and pages that cannot match are skipped and
 * the filter's columns are decoded first. Shapes with nested members are not handled here ({@link
 * #of} is empty); a file whose columns have other physical types or encodings is read as {@link
 * #read} says.
 */
public final class ShapeReader<T> {
  private final StructShape<T> shape;
  private final int members;
  private final int[] fieldIds;
  private final DataType[] types;
  private final Class<?>[] classes;
  private final Filter where;
  private final Map<String, Integer> columnIndex;
  private final org.apache.iceberg.Schema schema;
  private final org.apache.iceberg.expressions.Expression rowGroups;

  private ShapeReader(
      StructShape<T> shape,
      List<org.apache.iceberg.types.Types.NestedField> fields,
      List<ScalarShape> shapes,
      Filter where,
      org.apache.iceberg.Schema schema) {
    this.shape = shape;
    this.members = shape.members().size();
    int n = fields.size();
    this.fieldIds = new int[n];
    this.types = new DataType[n];
    this.classes = new Class<?>[n];
    this.columnIndex = new HashMap<>();
    for (int i = 0; i < n; i++) {
      fieldIds[i] = fields.get(i).fieldId();
      types[i] = shapes.get(i).type();
      classes[i] = shapes.get(i).javaType();
      columnIndex.put(fields.get(i).name(), i);
    }
    this.where = where;
    this.schema = schema;
    this.rowGroups =
        where == null
            ? null
            : dev.meshwork.iceberg.internal.IcebergFilters.expression(where, schema);
  }

  /**
   * A reader for {@code shape} over files of {@code schema}, or empty when a member is nested (a
   * struct, list or map) or is not a column of the schema.
   */
  public static <T> Optional<ShapeReader<T>> of(
      StructShape<T> shape, org.apache.iceberg.Schema schema) {
    return of(shape, schema, null);
  }

  /**
   * A reader for the rows of {@code shape} that match {@code where} (null: every row), whose
   * columns need not be members; empty as {@link #of(StructShape, org.apache.iceberg.Schema)} says,
   * or when a filter column is not a top-level primitive column.
   */
  public static <T> Optional<ShapeReader<T>> of(
      StructShape<T> shape, org.apache.iceberg.Schema schema, Filter where) {
    List<org.apache.iceberg.types.Types.NestedField> fields = new ArrayList<>();
    List<ScalarShape> shapes = new ArrayList<>();
    for (Member<T> m : shape.members()) {
      org.apache.iceberg.types.Types.NestedField f = schema.findField(m.field().name());
      if (!(m.shape() instanceof ScalarShape s) || f == null || !f.type().isPrimitiveType()) {
        return Optional.empty();
      }
      fields.add(f);
      shapes.add(s);
    }
    if (where != null) {
      for (String column : where.columns()) {
        org.apache.iceberg.types.Types.NestedField f = schema.findField(column);
        if (f == null
            || !f.type().isPrimitiveType()
            || schema.findColumnName(f.fieldId()).contains(".")) {
          return Optional.empty();
        }
        if (fields.stream().noneMatch(x -> x.fieldId() == f.fieldId())) {
          DataType type = dev.meshwork.iceberg.internal.IcebergSchemas.dataType(f.type());
          fields.add(f);
          shapes.add(new ScalarShape(type, ValueShapes.canonicalClass(type)));
        }
      }
    }
    return Optional.of(new ShapeReader<>(shape, fields, shapes, where, schema));
  }

  /**
   * The rows of the row groups of {@code file} whose middle lies in [{@code start}, {@code start +
   * length}), as values of the shape; empty when a column of the file cannot be decoded here (the
   * caller reads the file another way). Close the stream.
   */
  public Optional<Stream<T>> read(
      org.apache.iceberg.io.InputFile file, long start, long length, String what) {
    return read(file, start, length, null, what);
  }

  /**
   * As {@link #read(org.apache.iceberg.io.InputFile, long, long, String)}, without the rows at the
   * positions {@code deleted} holds (a file's position deletes; null: none).
   */
  public Optional<Stream<T>> read(
      org.apache.iceberg.io.InputFile file,
      long start,
      long length,
      org.apache.iceberg.deletes.PositionDeleteIndex deleted,
      String what) {
    Optional<FileColumns<ColumnDecoder.Maker>> opened =
        FileColumns.open(
            file,
            start,
            length,
            fieldIds,
            (i, physical) -> maker(types[i], classes[i], physical, what),
            ColumnDecoder.Maker[]::new,
            what);
    if (opened.isEmpty()) {
      return Optional.empty();
    }
    FileColumns<ColumnDecoder.Maker> f = opened.get();
    ParquetFileReader reader = f.reader;
    try {
      reader = pagesFiltered(reader, file, start, length, f.fileSchema, what);
      reader.setRequestedSchema(f.projection);
      Rows rows =
          new Rows(
              reader,
              f.fileSchema,
              f.descriptors,
              f.physical,
              f.how,
              what,
              reader != f.reader,
              deleted);
      return Optional.of(FileColumns.stream(rows, rows::close));
    } catch (RuntimeException e) {
      closeQuietly(reader, e);
      throw e;
    }
  }

  /**
   * The reader again, told to skip the pages whose column index rules out every row that matches
   * the filter; the same reader when there is no filter or it names no column that can be told.
   */
  private ParquetFileReader pagesFiltered(
      ParquetFileReader reader,
      org.apache.iceberg.io.InputFile file,
      long start,
      long length,
      MessageType fileSchema,
      String what) {
    if (where == null) {
      return reader;
    }
    Map<String, org.apache.parquet.schema.PrimitiveType> columns = new HashMap<>();
    for (String name : where.columns()) {
      Type t = column(fileSchema, schema.findField(name).fieldId());
      if (t == null || !t.isPrimitive() || !t.getName().equals(name)) {
        // Missing from the file, or renamed since: the predicate could not name it.
        return reader;
      }
      columns.put(name, t.asPrimitiveType());
    }
    org.apache.parquet.filter2.predicate.FilterPredicate predicate =
        PagePredicates.of(where, columns);
    if (predicate == null) {
      return reader;
    }
    org.apache.parquet.hadoop.metadata.ParquetMetadata footer = reader.getFooter();
    close(reader, what);
    try {
      Input in = new Input(file);
      return new ParquetFileReader(
          in,
          footer,
          ParquetReadOptions.builder(new org.apache.parquet.conf.PlainParquetConfiguration())
              .withRange(start, start + length)
              .withCodecFactory(new PageDecompressors())
              .withRecordFilter(org.apache.parquet.filter2.compat.FilterCompat.get(predicate))
              .useColumnIndexFilter(true)
              .useStatsFilter(true)
              .useDictionaryFilter(true)
              .useBloomFilter(true)
              .useRecordFilter(false)
              .build(),
          in.newStream());
    } catch (IOException e) {
      throw new StoreException("Cannot open " + what + ": " + e.getMessage(), e);
    }
  }

  static void close(ParquetFileReader reader, String what) {
    try {
      reader.close();
    } catch (IOException e) {
      throw new StoreException("Cannot close the reader of " + what + ": " + e.getMessage(), e);
    }
  }

  static void closeQuietly(ParquetFileReader reader, RuntimeException cause) {
    try {
      reader.close();
    } catch (IOException e) {
      cause.addSuppressed(e);
    }
  }

  static Type column(MessageType schema, int fieldId) {
    for (Type t : schema.getFields()) {
      if (t.getId() != null && t.getId().intValue() == fieldId) {
        return t;
      }
    }
    return null;
  }

  /**
   * Whether every chunk of {@code column} in the row groups to read uses encodings decoded here.
   */
  static boolean decodable(ParquetFileReader reader, String column) {
    for (org.apache.parquet.hadoop.metadata.BlockMetaData block : reader.getRowGroups()) {
      for (org.apache.parquet.hadoop.metadata.ColumnChunkMetaData chunk : block.getColumns()) {
        if (chunk.getPath().size() == 1
            && chunk.getPath().toArray()[0].equals(column)
            && !ColumnDecoder.ENCODINGS.containsAll(chunk.getEncodings())) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * How values of a column of {@code physical} type become values of {@code type} held as {@code
   * target}; null when this reader does not know (the file is read another way).
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static ColumnDecoder.Maker maker(
      DataType type,
      Class<?> target,
      org.apache.parquet.schema.PrimitiveType physical,
      String what) {
    PrimitiveTypeName p = physical.getPrimitiveTypeName();
    LogicalTypeAnnotation logical = physical.getLogicalTypeAnnotation();
    if (type instanceof DecimalType d) {
      return decimal(d, p);
    }
    if (!(type instanceof PrimitiveType t)) {
      return null;
    }
    return switch (t) {
      case BOOLEAN ->
          p != PrimitiveTypeName.BOOLEAN
              ? null
              : new ColumnDecoder.Maker() {
                @Override
                public Object ofBoolean(boolean v) {
                  return v;
                }
              };
      case INT -> p != PrimitiveTypeName.INT32 ? null : ints(target);
      case LONG ->
          p == PrimitiveTypeName.INT64 || p == PrimitiveTypeName.INT32
              ? new ColumnDecoder.Maker() {
                @Override
                public Object ofLong(long v) {
                  return v;
                }

                @Override
                public Object ofInt(int v) {
                  return (long) v;
                }
              }
              : null;
      case FLOAT ->
          p != PrimitiveTypeName.FLOAT
              ? null
              : new ColumnDecoder.Maker() {
                @Override
                public Object ofFloat(float v) {
                  return v;
                }
              };
      case DOUBLE ->
          p == PrimitiveTypeName.DOUBLE || p == PrimitiveTypeName.FLOAT
              ? new ColumnDecoder.Maker() {
                @Override
                public Object ofDouble(double v) {
                  return v;
                }

                @Override
                public Object ofFloat(float v) {
                  return (double) v;
                }
              }
              : null;
      case STRING ->
          p != PrimitiveTypeName.BINARY
              ? null
              : target.isEnum() ? new Enums((Class<? extends Enum>) target, what) : new Strings();
      case BINARY ->
          p != PrimitiveTypeName.BINARY && p != PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY
              ? null
              : new ColumnDecoder.Maker() {
                @Override
                public Object ofBytes(byte[] bytes, int at, int length) {
                  byte[] copy = java.util.Arrays.copyOfRange(bytes, at, at + length);
                  return target == byte[].class ? copy : ByteBuffer.wrap(copy);
                }
              };
      case UUID ->
          p != PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY
              ? null
              : new ColumnDecoder.Maker() {
                @Override
                public Object ofBytes(byte[] bytes, int at, int length) {
                  ByteBuffer b = ByteBuffer.wrap(bytes, at, length);
                  return new UUID(b.getLong(at), b.getLong(at + 8));
                }
              };
      case DATE ->
          p != PrimitiveTypeName.INT32
              ? null
              : new ColumnDecoder.Maker() {
                @Override
                public Object ofInt(int v) {
                  return LocalDate.ofEpochDay(v);
                }
              };
      case TIME ->
          p != PrimitiveTypeName.INT64 || !micros(logical)
              ? null
              : new ColumnDecoder.Maker() {
                @Override
                public Object ofLong(long v) {
                  return LocalTime.ofNanoOfDay(v * 1_000);
                }
              };
      case TIMESTAMP ->
          p != PrimitiveTypeName.INT64 || !micros(logical)
              ? null
              : new ColumnDecoder.Maker() {
                @Override
                public Object ofLong(long v) {
                  return LocalDateTime.ofEpochSecond(
                      Math.floorDiv(v, 1_000_000L),
                      (int) Math.floorMod(v, 1_000_000L) * 1_000,
                      ZoneOffset.UTC);
                }
              };
      case TIMESTAMP_TZ ->
          p != PrimitiveTypeName.INT64 || !micros(logical)
              ? null
              : new ColumnDecoder.Maker() {
                @Override
                public Object ofLong(long v) {
                  Instant i = instant(v);
                  return target == Instant.class ? i : i.atOffset(ZoneOffset.UTC);
                }
              };
    };
  }

  private static ColumnDecoder.Maker ints(Class<?> target) {
    if (target == short.class || target == Short.class) {
      return new ColumnDecoder.Maker() {
        @Override
        public Object ofInt(int v) {
          return (short) v;
        }
      };
    }
    if (target == byte.class || target == Byte.class) {
      return new ColumnDecoder.Maker() {
        @Override
        public Object ofInt(int v) {
          return (byte) v;
        }
      };
    }
    return new ColumnDecoder.Maker() {
      @Override
      public Object ofInt(int v) {
        return v;
      }
    };
  }

  static boolean micros(LogicalTypeAnnotation logical) {
    return logical instanceof LogicalTypeAnnotation.TimeLogicalTypeAnnotation t
            && t.getUnit() == LogicalTypeAnnotation.TimeUnit.MICROS
        || logical instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts
            && ts.getUnit() == LogicalTypeAnnotation.TimeUnit.MICROS;
  }

  private static Instant instant(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000);
  }

  private static ColumnDecoder.Maker decimal(DecimalType d, PrimitiveTypeName p) {
    int scale = d.scale();
    return switch (p) {
      case INT32 ->
          new ColumnDecoder.Maker() {
            @Override
            public Object ofInt(int v) {
              return BigDecimal.valueOf(v, scale);
            }
          };
      case INT64 ->
          new ColumnDecoder.Maker() {
            @Override
            public Object ofLong(long v) {
              return BigDecimal.valueOf(v, scale);
            }
          };
      case FIXED_LEN_BYTE_ARRAY, BINARY ->
          new ColumnDecoder.Maker() {
            @Override
            public Object ofBytes(byte[] bytes, int at, int length) {
              return new BigDecimal(new BigInteger(bytes, at, length), scale);
            }
          };
      default -> null;
    };
  }

  /** UTF-8 text; dictionary entries are decoded once per row group. */
  private static final class Strings implements ColumnDecoder.Maker {
    @Override
    public Object ofBytes(byte[] bytes, int at, int length) {
      return new String(bytes, at, length, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /** Enum constants by name. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static final class Enums implements ColumnDecoder.Maker {
    private final Class<? extends Enum> type;
    private final String what;
    private final Map<String, Object> constants = new HashMap<>();

    Enums(Class<? extends Enum> type, String what) {
      this.type = type;
      this.what = what;
    }

    @Override
    public Object ofBytes(byte[] bytes, int at, int length) {
      String name = new String(bytes, at, length, java.nio.charset.StandardCharsets.UTF_8);
      return constants.computeIfAbsent(
          name,
          n -> {
            try {
              return Enum.valueOf(type, n);
            } catch (IllegalArgumentException x) {
              throw new ContractViolationException(
                  "Cannot read "
                      + what
                      + ": '"
                      + n
                      + "' is not a constant of "
                      + type.getSimpleName()
                      + "; read it as String or add the constant.");
            }
          });
    }
  }

  /**
   * The rows of one file, row group by row group; with a filter, row groups whose statistics or
   * dictionaries rule every row out are skipped, and only rows that match are made values.
   */
  private final class Rows implements java.util.Iterator<T> {
    private final ParquetFileReader reader;
    private final MessageType fileSchema;
    private final ColumnDescriptor[] columns;
    private final org.apache.parquet.schema.PrimitiveType[] physical;
    private final ColumnDecoder.Maker[] makers;
    private final String what;
    private final ColumnDecoder[] decoders;
    private final PagesAhead[] ahead;
    private final Object[] values;
    private final Object[] memberValues;
    private final java.util.function.Function<String, Object> column;
    private final int[] tested;
    private final int[] untested;
    private final org.apache.iceberg.parquet.ParquetMetricsRowGroupFilter statistics;
    private final org.apache.iceberg.parquet.ParquetDictionaryRowGroupFilter dictionaries;
    private final org.apache.iceberg.deletes.PositionDeleteIndex deleted;
    private int block;
    private long groupStart;
    private long inGroup;
    private long left;
    private java.util.PrimitiveIterator.OfLong rows;
    private boolean done;
    private boolean closed;
    private T next;

    Rows(
        ParquetFileReader reader,
        MessageType fileSchema,
        ColumnDescriptor[] columns,
        org.apache.parquet.schema.PrimitiveType[] physical,
        ColumnDecoder.Maker[] makers,
        String what,
        boolean filteredByParquet,
        org.apache.iceberg.deletes.PositionDeleteIndex deleted) {
      this.reader = reader;
      this.deleted = deleted == null || deleted.isEmpty() ? null : deleted;
      this.fileSchema = fileSchema;
      this.columns = columns;
      this.physical = physical;
      this.makers = makers;
      this.what = what;
      this.decoders = new ColumnDecoder[columns.length];
      this.ahead = new PagesAhead[columns.length];
      this.values = new Object[columns.length];
      this.memberValues = new Object[members];
      this.column = name -> values[columnIndex.get(name)];
      java.util.Set<Integer> filterColumns = new java.util.TreeSet<>();
      if (where != null) {
        where.columns().forEach(c -> filterColumns.add(columnIndex.get(c)));
      }
      this.tested = filterColumns.stream().mapToInt(Integer::intValue).toArray();
      this.untested =
          java.util.stream.IntStream.range(0, columns.length)
              .filter(i -> !filterColumns.contains(i))
              .toArray();
      // parquet-java skips row groups and pages itself when it was given the filter.
      boolean filtered =
          !filteredByParquet && rowGroups != null && !rowGroups.equals(Expressions.alwaysTrue());
      this.statistics =
          filtered
              ? new org.apache.iceberg.parquet.ParquetMetricsRowGroupFilter(schema, rowGroups)
              : null;
      this.dictionaries =
          filtered
              ? new org.apache.iceberg.parquet.ParquetDictionaryRowGroupFilter(schema, rowGroups)
              : null;
    }

    /** Opens the next row group worth reading; false at the end of the file. */
    private boolean group() {
      List<org.apache.parquet.hadoop.metadata.BlockMetaData> blocks = reader.getRowGroups();
      while (block < blocks.size() && statistics != null && !worthReading(blocks.get(block))) {
        reader.skipNextRowGroup();
        block++;
      }
      PageReadStore group;
      try {
        group = reader.readNextFilteredRowGroup();
      } catch (IOException e) {
        throw new StoreException("Cannot read " + what + ": " + e.getMessage(), e);
      }
      if (block < blocks.size()) {
        groupStart = blocks.get(block).getRowIndexOffset();
      }
      inGroup = 0;
      block++;
      if (group == null) {
        return false;
      }
      for (int i = 0; i < columns.length; i++) {
        if (ahead[i] != null) {
          ahead[i].close();
          ahead[i] = null;
        }
        org.apache.parquet.column.page.PageReader pages =
            columns[i] == null ? null : PagesAhead.of(group.getPageReader(columns[i]));
        if (pages instanceof PagesAhead a) {
          ahead[i] = a;
        }
        decoders[i] =
            columns[i] == null
                ? null
                : new ColumnDecoder(
                    pages,
                    columns[i].getMaxDefinitionLevel(),
                    physical[i].getPrimitiveTypeName(),
                    physical[i].getTypeLength(),
                    makers[i],
                    what);
      }
      left = group.getRowCount();
      rows = group.getRowIndexes().orElse(null);
      return true;
    }

    private boolean worthReading(org.apache.parquet.hadoop.metadata.BlockMetaData b) {
      return statistics.shouldRead(fileSchema, b)
          && dictionaries.shouldRead(fileSchema, b, reader.getDictionaryReader(b));
    }

    @Override
    public boolean hasNext() {
      while (next == null && !done) {
        if (left == 0) {
          if (!group()) {
            done = true;
            close();
            break;
          }
          continue;
        }
        left--;
        long position;
        if (rows != null) {
          // Pages were left out: every column moves to the next row that may match.
          long r = rows.nextLong();
          for (ColumnDecoder d : decoders) {
            if (d != null) {
              d.seek(r);
            }
          }
          position = groupStart + r;
        } else {
          position = groupStart + inGroup++;
        }
        if (deleted != null && deleted.isDeleted(position)) {
          for (ColumnDecoder d : decoders) {
            if (d != null) {
              d.skip();
            }
          }
          continue;
        }
        if (where == null) {
          for (int i = 0; i < decoders.length; i++) {
            values[i] = decode(i);
          }
        } else {
          // The filter's columns first; the others are made only for a row that matches.
          for (int i : tested) {
            values[i] = decode(i);
          }
          boolean match = where.test(column);
          for (int i : untested) {
            if (match) {
              values[i] = decode(i);
            } else if (decoders[i] != null) {
              decoders[i].skip();
            }
          }
          if (!match) {
            continue;
          }
        }
        System.arraycopy(values, 0, memberValues, 0, members);
        next = shape.create(memberValues);
      }
      return next != null;
    }

    private Object decode(int i) {
      ColumnDecoder d = decoders[i];
      return d == null ? null : d.next();
    }

    @Override
    public T next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      T out = next;
      next = null;
      return out;
    }

    void close() {
      if (closed) {
        return;
      }
      closed = true;
      for (PagesAhead a : ahead) {
        if (a != null) {
          a.close();
        }
      }
      ShapeReader.close(reader, what);
    }
  }

  /** An Iceberg file as parquet-java reads files. */
  static final class Input implements org.apache.parquet.io.InputFile {
    private final org.apache.iceberg.io.InputFile file;

    Input(org.apache.iceberg.io.InputFile file) {
      this.file = file;
    }

    @Override
    public long getLength() {
      return file.getLength();
    }

    @Override
    public SeekableInputStream newStream() {
      org.apache.iceberg.io.SeekableInputStream in = file.newStream();
      return new DelegatingSeekableInputStream(in) {
        @Override
        public long getPos() throws IOException {
          return in.getPos();
        }

        @Override
        public void seek(long newPos) throws IOException {
          in.seek(newPos);
        }
      };
    }
  }
}
