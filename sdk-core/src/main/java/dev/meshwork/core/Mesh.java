package dev.meshwork.core;

import dev.meshwork.core.internal.runtime.DefaultComponents;
import dev.meshwork.core.internal.runtime.RunImpl;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.spi.PolicyEngine;
import dev.meshwork.spi.QualityGate;
import dev.meshwork.spi.RunListener;
import dev.meshwork.spi.TableStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The entry point: a configured table store, run listeners, policy engine and quality gate, from
 * which data product runs start. {@code Mesh.builder().build()} works with zero configuration: the
 * embedded store under {@code ./warehouse} (when {@code sdk-iceberg} is on the classpath), the
 * default listeners of the adapters on the classpath (lineage to a JSON-lines file when {@code
 * sdk-lineage} is there), allow-all policy (with one warning) and the contracts' quality rules
 * (when {@code sdk-quality} is there).
 */
public final class Mesh implements AutoCloseable {
  private final TableStore store;
  private final List<RunListener> listeners;
  private final PolicyEngine policy;
  private final QualityGate qualityGate;
  private final Clock clock;
  private final dev.meshwork.core.internal.runtime.MetricsRecorder metrics =
      new dev.meshwork.core.internal.runtime.MetricsRecorder();

  private Mesh(Builder b) {
    this.store = b.store != null ? b.store : DefaultComponents.discoverStore();
    this.listeners =
        b.listeners.isEmpty() ? DefaultComponents.discoverListeners() : List.copyOf(b.listeners);
    this.policy = b.policy != null ? b.policy : DefaultComponents.discoverPolicy();
    this.qualityGate =
        b.qualityGate != null ? b.qualityGate : DefaultComponents.discoverQualityGate();
    this.clock = b.clock;
  }

  /** A builder; every setting is optional. */
  public static Builder builder() {
    return new Builder();
  }

  /** Starts a run of a product with a fresh run id. */
  public Run start(DataProduct product, Principal principal) {
    return start(product, principal, RunOptions.defaults());
  }

  /** Starts a run of a product with options (run id, purpose). */
  public Run start(DataProduct product, Principal principal, RunOptions options) {
    return new RunImpl(
        Objects.requireNonNull(product, "product"),
        Objects.requireNonNull(principal, "principal"),
        Objects.requireNonNull(options, "options"),
        store,
        listeners,
        policy,
        qualityGate,
        clock,
        metrics);
  }

  /** The table store, for inspection. */
  public TableStore store() {
    return store;
  }

  /** The run listeners, configured or discovered. */
  public List<RunListener> listeners() {
    return listeners;
  }

  /** Waits for runs' quality metrics still being kept, then closes listeners and the store. */
  @Override
  public void close() {
    metrics.close();
    for (RunListener l : listeners) {
      try {
        l.close();
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(Mesh.class).warn("Run listener {} failed to close", l, e);
      }
    }
    store.close();
  }

  /** Builds a {@link Mesh}. */
  public static final class Builder {
    private TableStore store;
    private final List<RunListener> listeners = new ArrayList<>();
    private PolicyEngine policy;
    private QualityGate qualityGate;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The table store (default: discovered, the embedded Iceberg warehouse). */
    public Builder store(TableStore tableStore) {
      this.store = Objects.requireNonNull(tableStore, "tableStore");
      return this;
    }

    /** Adds a run listener, such as a lineage emitter; adding any turns off listener discovery. */
    public Builder listener(RunListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * The policy engine (default: the one a discovered provider configures, such as {@code
     * ./policies} with sdk-policy on the class path; else allow everything, with a warning).
     */
    public Builder policy(PolicyEngine engine) {
      this.policy = Objects.requireNonNull(engine, "engine");
      return this;
    }

    /**
     * The quality gate (default: discovered, the contracts' rules; {@code QualityGate.none()} turns
     * it off).
     */
    public Builder qualityGate(QualityGate gate) {
      this.qualityGate = Objects.requireNonNull(gate, "gate");
      return this;
    }

    /** The clock for event times and durations (default: system UTC). */
    public Builder clock(Clock eventClock) {
      this.clock = Objects.requireNonNull(eventClock, "eventClock");
      return this;
    }

    /** The mesh. */
    public Mesh build() {
      return new Mesh(this);
    }
  }
}
