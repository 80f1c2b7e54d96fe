package dev.meshwork.spi;

import java.util.List;
import java.util.Map;

/**
 * The quality metrics of a port's earlier published runs, kept by the mesh in the product's
 * observability table ({@code <domain>.<product>.quality_metrics} in the Iceberg store).
 */
public interface MetricsHistory {
  /** The port name of the observability table, reserved: no output port may be stored as it. */
  String TABLE = "quality_metrics";

  /** Metrics (name to value) of the last {@code n} published runs of the port, newest first. */
  List<Map<String, Double>> recent(int n);

  /** No history at all. */
  static MetricsHistory empty() {
    return n -> List.of();
  }
}
