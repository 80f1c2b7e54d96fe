package dev.meshwork.core.internal.runtime;

import dev.meshwork.core.QuarantineColumns;
import dev.meshwork.core.Row;
import dev.meshwork.core.SummaryKeys;
import dev.meshwork.core.internal.binding.Direction;
import dev.meshwork.core.internal.binding.RecordShapes;
import dev.meshwork.core.model.DataContract;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.core.schema.Field;
import dev.meshwork.core.schema.PrimitiveType;
import dev.meshwork.core.schema.Schema;
import dev.meshwork.spi.OutputSpec;
import dev.meshwork.spi.OutputTable;
import dev.meshwork.spi.PartTarget;
import dev.meshwork.spi.QualityGate;
import dev.meshwork.spi.StagedFiles;
import dev.meshwork.spi.StagedWriter;
import dev.meshwork.spi.TableAddress;
import dev.meshwork.spi.TableStore;
import dev.meshwork.spi.write.StructShape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run's quarantine tables, one per output port whose quality rules divert rows: {@code
 * <port>__quarantine} with the port's columns (all optional) and {@link QuarantineColumns}. A table
 * is opened when its first row is diverted.
 */
final class QuarantineTables {
  private static final Logger LOG = LoggerFactory.getLogger(QuarantineTables.class);

  private final String runId;
  private final DataProduct product;
  private final TableStore store;
  private final Map<String, Table> byPort = new LinkedHashMap<>();
  private final List<Table> opened = new ArrayList<>();

  QuarantineTables(String runId, DataProduct product, TableStore store) {
    this.runId = runId;
    this.product = product;
    this.store = store;
  }

  /** The sink of an output port's diverted rows. */
  Table of(String port, PortBinder.Bound<?> bound) {
    return byPort.computeIfAbsent(
        port,
        p -> new Table(p, bound.contract(), bound.schema(), Subjects.properties(bound.object())));
  }

  /** The tables that received rows, in the order of their first row. */
  List<Table> opened() {
    return List.copyOf(opened);
  }

  /** The opened table whose port name ({@code <port>__quarantine}) is {@code name}. */
  Table named(String name) {
    return opened.stream()
        .filter(t -> t.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no quarantine table " + name));
  }

  /** Deletes what every table staged. */
  void abortAll() {
    opened.forEach(Table::abort);
  }

  /**
   * The quarantine table's schema: the port's columns, all optional, then the quarantine columns.
   */
  static Schema schema(Schema portSchema) {
    List<Field> fields = new ArrayList<>();
    for (Field f : portSchema.fields()) {
      fields.add(new Field(f.name(), f.type(), false, f.description()));
    }
    fields.add(
        new Field(
            QuarantineColumns.RULE_ID,
            PrimitiveType.STRING,
            true,
            "Id of the rule that diverted the row"));
    fields.add(
        new Field(QuarantineColumns.RULE, PrimitiveType.STRING, false, "Description of that rule"));
    fields.add(
        new Field(
            QuarantineColumns.REASON, PrimitiveType.STRING, false, "What was wrong with the row"));
    fields.add(
        new Field(
            QuarantineColumns.RUN_ID, PrimitiveType.STRING, true, "The run that wrote the row"));
    return Schema.of(fields);
  }

  /** The shape of the rows a quarantine table of a port of {@code portSchema} receives. */
  static StructShape<Row> rowShape(Schema portSchema) {
    return RecordShapes.forRows(schema(portSchema).struct(), Direction.WRITE);
  }

  /** The quarantine row of a diverted value. */
  static <T> Row row(StructShape<T> shape, T value, QualityGate.Rejection why, String runId) {
    Map<String, Object> values = Rows.values(shape, value);
    values.put(QuarantineColumns.RULE_ID, why.ruleId());
    values.put(QuarantineColumns.RULE, why.rule());
    values.put(QuarantineColumns.REASON, why.reason());
    values.put(QuarantineColumns.RUN_ID, runId);
    return Row.of(values);
  }

  private static Map<String, String> properties(
      DataProduct product, String port, Map<String, String> subjects) {
    Map<String, String> props = new LinkedHashMap<>(subjects);
    props.put(SummaryKeys.PRODUCT_ID, product.id());
    props.put(SummaryKeys.PORT, QuarantineColumns.of(port));
    props.put(SummaryKeys.QUARANTINE_OF, port);
    return props;
  }

  /** The quarantine table of one output port. */
  final class Table implements PortWriter.QuarantineSink {
    private final String port;
    private final DataContract contract;
    private final Schema portSchema;
    private final Map<String, String> subjects;
    private OutputTable table;
    private StagedWriter<Row> writer;

    private Table(
        String port, DataContract contract, Schema portSchema, Map<String, String> subjects) {
      this.port = port;
      this.contract = contract;
      this.portSchema = portSchema;
      this.subjects = subjects;
    }

    /** The port name of the table: {@code <port>__quarantine}. */
    String name() {
      return QuarantineColumns.of(port);
    }

    /** The output port whose rows it holds. */
    String port() {
      return port;
    }

    DataContract contract() {
      return contract;
    }

    OutputTable table() {
      return table;
    }

    @Override
    public <T> void divert(StructShape<T> shape, T value, QualityGate.Rejection why) {
      if (writer == null) {
        writer = open().newWriter(rowShape(portSchema), runId);
        opened.add(this);
      }
      writer.write(row(shape, value, why, runId));
    }

    /**
     * A handle through which tasks stage this table's parts; opens the table (its rows are added
     * with {@link #stagedElsewhere}).
     */
    PartTarget partTarget() {
      return Capabilities.parted(open(), name()).partTarget();
    }

    /**
     * Takes the files parts staged elsewhere as what this table publishes; {@code kept}: an abort
     * leaves them to their caller.
     */
    void stagedElsewhere(List<StagedFiles> parts, boolean kept) {
      if (writer != null) {
        throw new IllegalStateException("quarantine of '" + port + "' was written here already");
      }
      writer = new StagedParts<>(open(), parts, kept);
      opened.add(this);
    }

    private OutputTable open() {
      if (table == null) {
        table =
            store.openOutput(
                new OutputSpec(
                    new TableAddress(product.domain(), product.displayName(), name()),
                    contract.id() + "#quarantine",
                    schema(portSchema),
                    properties(product, port, subjects)));
        LOG.info("Run {}: output '{}' diverts rows to {}", runId, port, table.info().identifier());
      }
      return table;
    }

    /** Closes the writer: the staged files to publish. */
    StagedFiles finish() {
      return writer.finish();
    }

    /** Deletes what the writer staged. */
    void abort() {
      if (writer != null) {
        writer.abort();
      }
    }
  }
}
