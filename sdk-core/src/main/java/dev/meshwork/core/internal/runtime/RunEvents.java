package dev.meshwork.core.internal.runtime;

import dev.meshwork.core.MeshworkException;
import dev.meshwork.core.Principal;
import dev.meshwork.core.RunOptions;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.spi.RunEvent;
import dev.meshwork.spi.RunListener;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a run's events to its listeners. A listener that fails is logged and the run goes on,
 * unless it {@link RunListener#failsRunOnError() fails runs}: then START and COMPLETE throw (after
 * every listener had the event), while FAIL and ABORT only log, since the run's own error is the
 * one to report.
 */
final class RunEvents {
  private static final Logger LOG = LoggerFactory.getLogger(RunEvents.class);

  private final String runId;
  private final DataProduct product;
  private final Principal principal;
  private final RunOptions options;
  private final List<RunListener> listeners;
  private final Clock clock;

  RunEvents(
      String runId,
      DataProduct product,
      Principal principal,
      RunOptions options,
      List<RunListener> listeners,
      Clock clock) {
    this.runId = runId;
    this.product = product;
    this.principal = principal;
    this.options = options;
    this.listeners = listeners;
    this.clock = clock;
  }

  /** Emits one event to every listener. */
  void emit(
      RunEvent.Type type,
      List<RunEvent.InputInfo> inputs,
      List<RunEvent.OutputInfo> outputs,
      List<RunEvent.PolicyOutcome> decisions,
      Throwable error) {
    if (listeners.isEmpty()) {
      return;
    }
    RunEvent event =
        new RunEvent(
            type,
            clock.instant(),
            runId,
            product,
            principal,
            options,
            inputs,
            outputs,
            decisions,
            error);
    MeshworkException required = null;
    for (RunListener l : listeners) {
      try {
        l.onEvent(event);
      } catch (RuntimeException e) {
        if (l.failsRunOnError() && required == null) {
          required =
              new MeshworkException(
                  "Run "
                      + runId
                      + ": required listener "
                      + l
                      + " failed on "
                      + type
                      + ": "
                      + e.getMessage()
                      + (type == RunEvent.Type.COMPLETE
                          ? ". The outputs ARE published; rerun the listener's publish or fix its backend."
                          : ""),
                  e);
        } else {
          LOG.warn(
              "Run {}: listener {} failed on {} (the run goes on): {}",
              runId,
              l,
              type,
              e.toString());
        }
      }
    }
    if (required != null) {
      if (type == RunEvent.Type.FAIL
          || type == RunEvent.Type.ABORT
          || type == RunEvent.Type.PROGRESS) {
        LOG.warn("{}", required.getMessage());
      } else {
        throw required;
      }
    }
  }
}
