package dev.meshwork.core.internal.runtime;

import dev.meshwork.core.Row;
import dev.meshwork.core.SummaryKeys;
import dev.meshwork.core.internal.binding.Direction;
import dev.meshwork.core.internal.binding.RecordShapes;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.core.schema.Field;
import dev.meshwork.core.schema.PrimitiveType;
import dev.meshwork.core.schema.Schema;
import dev.meshwork.core.schema.StructType;
import dev.meshwork.spi.InputTable;
import dev.meshwork.spi.MetricsHistory;
import dev.meshwork.spi.OutputSpec;
import dev.meshwork.spi.OutputTable;
import dev.meshwork.spi.PublishRequest;
import dev.meshwork.spi.StagedWriter;
import dev.meshwork.spi.TableAddress;
import dev.meshwork.spi.TableStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The product's observability table: one row per run, port and quality metric, so quality gates can
 * compare a run with the ones before it.
 */
final class MetricsTable {
  static final String PORT = dev.meshwork.spi.MetricsHistory.TABLE;

  static final StructType STRUCT =
      new StructType(
          List.of(
              Field.required("run_id", PrimitiveType.STRING),
              Field.required("port", PrimitiveType.STRING),
              Field.required("recorded_at", PrimitiveType.TIMESTAMP_TZ),
              Field.required("metric", PrimitiveType.STRING),
              Field.optional("value", PrimitiveType.DOUBLE)));

  private final TableStore store;
  private final DataProduct product;
  private final MetricsRecorder recorder;
  private Map<String, List<Map<String, Double>>> byPort;

  MetricsTable(TableStore store, DataProduct product, MetricsRecorder recorder) {
    this.store = store;
    this.product = product;
    this.recorder = recorder;
  }

  private TableAddress address() {
    return new TableAddress(product.domain(), product.displayName(), PORT);
  }

  /** The history of one port, read once per run. */
  MetricsHistory history(String port) {
    return n -> {
      List<Map<String, Double>> all = load().getOrDefault(port, List.of());
      return all.subList(0, Math.min(n, all.size()));
    };
  }

  private synchronized Map<String, List<Map<String, Double>>> load() {
    if (byPort != null) {
      return byPort;
    }
    // Earlier runs of this mesh may still be keeping their metrics.
    recorder.awaitPending();
    byPort = new LinkedHashMap<>();
    Optional<InputTable> table = store.openExisting(address());
    if (table.isEmpty()) {
      return byPort;
    }
    record Run(String port, String runId, Instant at, Map<String, Double> metrics) {}
    Map<String, Run> runs = new LinkedHashMap<>();
    try (Stream<Row> rows =
        table
            .get()
            .read(RecordShapes.forRows(STRUCT, Direction.READ), table.get().currentVersion())) {
      rows.forEach(
          r -> {
            String key = r.get("port") + "/" + r.get("run_id");
            Run run =
                runs.computeIfAbsent(
                    key,
                    k ->
                        new Run(
                            (String) r.get("port"),
                            (String) r.get("run_id"),
                            (Instant) r.get("recorded_at"),
                            new LinkedHashMap<>()));
            Double v = (Double) r.get("value");
            run.metrics().put((String) r.get("metric"), v == null ? Double.NaN : v);
          });
    }
    runs.values().stream()
        .sorted(Comparator.comparing(Run::at).reversed())
        .forEach(
            run -> byPort.computeIfAbsent(run.port(), p -> new ArrayList<>()).add(run.metrics()));
    return byPort;
  }

  /** One run's metrics waiting to be kept. */
  private record Pending(
      String runId,
      Instant at,
      Map<String, Map<String, Double>> metricsByPort,
      java.util.function.Consumer<RuntimeException> onFailure) {}

  /**
   * Appends this run's metrics behind the run, on the mesh's recorder, together with those of runs
   * of the product that commit soon after; {@code onFailure} gets what went wrong (the run is
   * published either way).
   */
  void recordLater(
      String runId,
      Instant at,
      Map<String, Map<String, Double>> metricsByPort,
      java.util.function.Consumer<RuntimeException> onFailure) {
    recorder.add(
        address(),
        new Pending(runId, at, metricsByPort, onFailure),
        (List<Pending> runs) -> {
          try {
            record(runs);
          } catch (RuntimeException e) {
            runs.forEach(r -> r.onFailure().accept(e));
          }
        });
  }

  /**
   * Appends the metrics of {@code runs}, every port, as one version that no run of them published
   * before. When one of them did (another attempt of a run kept its metrics meanwhile), each run is
   * kept on its own, once.
   */
  private void record(List<Pending> runs) {
    dev.meshwork.spi.PublishResult result = recordTogether(runs);
    if (result.outcome() == dev.meshwork.spi.PublishResult.Outcome.ALREADY_PUBLISHED
        && runs.size() > 1) {
      for (Pending run : runs) {
        recordTogether(List.of(run));
      }
    }
  }

  private dev.meshwork.spi.PublishResult recordTogether(List<Pending> runs) {
    String last = runs.get(runs.size() - 1).runId();
    Map<String, String> props = new LinkedHashMap<>();
    props.put(SummaryKeys.PRODUCT_ID, product.id());
    props.put(SummaryKeys.PORT, PORT);
    OutputTable table =
        store.openOutput(
            new OutputSpec(
                address(),
                product.id() + "#quality-metrics",
                new Schema(STRUCT, List.of(), List.of()),
                props));
    StagedWriter<Row> writer = table.newWriter(RecordShapes.forRows(STRUCT, Direction.WRITE), last);
    try {
      for (Pending run : runs) {
        run.metricsByPort()
            .forEach(
                (port, metrics) ->
                    metrics.forEach(
                        (metric, value) -> {
                          Map<String, Object> row = new LinkedHashMap<>();
                          row.put("run_id", run.runId());
                          row.put("port", port);
                          row.put("recorded_at", run.at());
                          row.put("metric", metric);
                          row.put(
                              "value",
                              value == null || value.isNaN() || value.isInfinite() ? null : value);
                          writer.write(Row.of(row));
                        }));
      }
      Map<String, String> summary = new LinkedHashMap<>(props);
      summary.put(SummaryKeys.RUN_ID, last);
      summary.put(SummaryKeys.METRICS_RUNS, Integer.toString(runs.size()));
      List<String> carried = runs.subList(0, runs.size() - 1).stream().map(Pending::runId).toList();
      return table.publish(
          new PublishRequest(
              last, writer.finish(), summary, PublishRequest.OnFailure.DELETE_FILES, carried));
    } catch (RuntimeException e) {
      writer.abort();
      throw e;
    }
  }
}
