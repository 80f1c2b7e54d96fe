package dev.meshwork.core.internal.runtime;

import dev.meshwork.core.ContractViolationException;
import dev.meshwork.core.Erasure;
import dev.meshwork.core.ErasureReport;
import dev.meshwork.core.Filter;
import dev.meshwork.core.Principal;
import dev.meshwork.core.QuarantineColumns;
import dev.meshwork.core.RunOptions;
import dev.meshwork.core.internal.schema.ContractSchemas;
import dev.meshwork.core.model.DataContract;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.core.model.OutputPortSpec;
import dev.meshwork.core.model.SchemaObject;
import dev.meshwork.spi.Action;
import dev.meshwork.spi.ErasingStore;
import dev.meshwork.spi.PolicyEngine;
import dev.meshwork.spi.TableAddress;
import dev.meshwork.spi.TableStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An erasure across products: finds the output ports whose contracts declare the subject, asks the
 * policy engine for ERASE on every one of them before touching any (the decision log records who,
 * which product and port, when and why), then has the store erase each port's table and its
 * quarantine table, and reports.
 */
public final class ErasureRun {
  private static final Logger LOG = LoggerFactory.getLogger(ErasureRun.class);

  private ErasureRun() {}

  /** Erases {@code erasure}'s subject from {@code products}' tables in {@code store}. */
  public static ErasureReport erase(
      Erasure erasure,
      Principal principal,
      List<DataProduct> products,
      TableStore store,
      PolicyEngine policy,
      Clock clock) {
    if (erasure.reason() == null || erasure.reason().isBlank()) {
      throw new IllegalArgumentException(
          "Cannot run "
              + erasure
              + " without a reason: the decision log records why. Give one with"
              + " Erasure.of(...).because(\"GDPR art. 17 request #...\").");
    }
    if (!(store instanceof ErasingStore erasing)) {
      throw new UnsupportedOperationException(
          "Cannot run "
              + erasure
              + ": the store "
              + store.getClass().getSimpleName()
              + " cannot erase (it does not implement dev.meshwork.spi.ErasingStore). Use the"
              + " Iceberg store.");
    }
    record Target(DataProduct product, String port, List<String> columns) {}
    List<Target> targets = new ArrayList<>();
    for (DataProduct product : products) {
      for (OutputPortSpec port : product.outputPorts()) {
        if (port.contractId() == null) {
          continue;
        }
        DataContract contract =
            product
                .contract(port.contractId())
                .orElseThrow(
                    () ->
                        new ContractViolationException(
                            "Cannot erase from output port '"
                                + port.name()
                                + "' of "
                                + product.source()
                                + ": its contract '"
                                + port.contractId()
                                + "' was not loaded with the product"
                                + product
                                    .missingContract(port.contractId())
                                    .map(m -> " (" + m.describe() + ")")
                                    .orElse("")
                                + "."));
        SchemaObject object =
            ContractSchemas.schemaObject(
                contract,
                port.name(),
                port.customProperty("schemaObject").map(String::valueOf).orElse(null));
        List<String> columns = Subjects.columns(object, erasure.subject());
        if (!columns.isEmpty()) {
          targets.add(new Target(product, product.outputKey(port), columns));
        }
      }
    }
    // Every decision first: a denial anywhere erases nothing anywhere.
    RunOptions because = RunOptions.builder().purpose(erasure.reason()).build();
    for (Target t : targets) {
      new PolicyEnforcer(policy, t.product(), principal, because, clock)
          .enforce(Action.ERASE, t.port());
    }
    List<ErasureReport.TableErasure> tables = new ArrayList<>();
    Set<String> covered = new LinkedHashSet<>();
    for (Target t : targets) {
      Filter rows = rows(t.columns(), erasure.values());
      for (String port : List.of(t.port(), QuarantineColumns.of(t.port()))) {
        TableAddress address =
            new TableAddress(t.product().domain(), t.product().displayName(), port);
        covered.add(String.join(".", address.conventionalName()));
        erasing.erase(address, t.columns(), rows, erasure.id()).ifPresent(tables::add);
      }
    }
    List<String> uncovered = new ArrayList<>(erasing.tablesDeclaring(erasure.subject()));
    uncovered.removeAll(covered);
    ErasureReport report =
        new ErasureReport(
            erasure.id(),
            erasure.subject(),
            erasure.reason(),
            principal,
            clock.instant(),
            tables,
            uncovered);
    if (report.verified()) {
      LOG.info("{}", report.describe().stripTrailing());
    } else {
      LOG.warn("{}", report.describe().stripTrailing());
    }
    return report;
  }

  /** Rows whose subject columns hold one of the values. */
  private static Filter rows(List<String> columns, List<Object> values) {
    List<Filter> any = new ArrayList<>();
    for (String c : columns) {
      any.add(Filter.in(c, values));
    }
    return any.size() == 1 ? any.get(0) : Filter.or(any.toArray(Filter[]::new));
  }
}
