package dev.meshwork.samples.cli;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.Principal;
import dev.meshwork.core.RunOptions;
import dev.meshwork.core.SummaryKeys;
import dev.meshwork.core.model.DataContract;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.core.model.InputPortSpec;
import dev.meshwork.core.model.OutputPortSpec;
import dev.meshwork.spi.InputTable;
import dev.meshwork.spi.RunEvent;
import dev.meshwork.spi.TableAddress;
import dev.meshwork.spi.TableInfo;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a warehouse holds of each product, as the COMPLETE event of a run that published its output
 * ports' current versions (rows, files, bytes, schema, contract) from the inputs their latest
 * publish recorded: for catalogue publishers to catch up on products published without them.
 */
final class WarehouseEvents {
  private WarehouseEvents() {}

  /** One event per product that has published at least one output port, in the given order. */
  static List<RunEvent> latest(Mesh mesh, List<DataProduct> products, Clock clock) {
    List<RunEvent> events = new ArrayList<>();
    for (DataProduct product : products) {
      List<RunEvent.OutputInfo> outputs = new ArrayList<>();
      Map<String, String> summary = Map.of();
      for (OutputPortSpec port : product.outputPorts()) {
        DataContract contract =
            port.contractId() == null ? null : product.contract(port.contractId()).orElse(null);
        String key = product.outputKey(port);
        Optional<InputTable> table =
            mesh.store()
                .openExisting(new TableAddress(product.domain(), product.displayName(), key));
        OptionalLong version =
            table.isPresent() ? table.get().currentVersion() : OptionalLong.empty();
        if (contract == null || version.isEmpty()) {
          continue;
        }
        InputTable t = table.get();
        InputTable.Volume volume = t.volume(version);
        outputs.add(
            new RunEvent.OutputInfo(
                key,
                contract,
                contract
                    .schemaObjectFor(
                        key, port.customProperty("schemaObject").map(String::valueOf).orElse(null))
                    .orElse(null),
                t.info(),
                t.schema(),
                version.getAsLong(),
                volume.rows(),
                volume.files(),
                volume.bytes(),
                null,
                null,
                0));
        if (summary.isEmpty()) {
          summary = t.publishedSummary();
        }
      }
      if (outputs.isEmpty()) {
        continue;
      }
      events.add(
          new RunEvent(
              RunEvent.Type.COMPLETE,
              clock.instant(),
              summary.getOrDefault(SummaryKeys.RUN_ID, "export-" + product.id()),
              product,
              Principal.service("meshwork-export"),
              RunOptions.defaults(),
              inputs(product, summary),
              outputs,
              List.of(),
              null));
    }
    return events;
  }

  /** The inputs the latest publish recorded in its summary: table and version read, per port. */
  private static List<RunEvent.InputInfo> inputs(DataProduct product, Map<String, String> summary) {
    List<RunEvent.InputInfo> inputs = new ArrayList<>();
    for (InputPortSpec port : product.inputPorts()) {
      String table = summary.get(SummaryKeys.inputTable(port.name()));
      if (table == null || inputs.stream().anyMatch(i -> i.port().equals(port.name()))) {
        continue;
      }
      String read = summary.get(SummaryKeys.inputSnapshotId(port.name()));
      Long version = read == null || read.equals("none") ? null : Long.valueOf(read);
      inputs.add(
          new RunEvent.InputInfo(
              port.name(),
              port.contractId() == null ? null : product.contract(port.contractId()).orElse(null),
              new TableInfo(table, null, null, TableInfo.TableState.EXISTING),
              null,
              version,
              null,
              InputTable.Volume.UNKNOWN,
              summary.get(SummaryKeys.inputRead(port.name()))));
    }
    return inputs;
  }
}
