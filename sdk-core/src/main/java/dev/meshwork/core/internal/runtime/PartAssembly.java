package dev.meshwork.core.internal.runtime;

import dev.meshwork.core.RunStateException;
import dev.meshwork.core.StagedPart;
import dev.meshwork.spi.OutputTable;
import dev.meshwork.spi.QualityGate;
import dev.meshwork.spi.StagedFiles;
import dev.meshwork.spi.write.StructShape;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the parts tasks sent back into what each port publishes: checks that every part belongs to
 * this run and to a port handed out in parts, keeps one attempt per part id (the lowest attempt
 * number, whatever order the engine delivered them in), merges the kept parts' quality states into
 * the port's session, and only then deletes the other attempts' files.
 */
final class PartAssembly {
  private static final Logger LOG = LoggerFactory.getLogger(PartAssembly.class);

  /** A port handed out in parts: its table, its quarantine table (or null) and its checks. */
  record Port(
      OutputTable table,
      OutputTable quarantine,
      QualityGate.Session session,
      StructShape<?> shape) {}

  /** What one port publishes: the kept parts' files and quarantine files. */
  record Chosen(
      String port, List<StagedFiles> files, List<StagedFiles> quarantine, long quarantinedRows) {}

  private final String runId;
  private final Map<String, Port> ports;
  private final Set<Part> discarded = Collections.newSetFromMap(new IdentityHashMap<>());

  PartAssembly(String runId, Map<String, Port> ports) {
    this.runId = runId;
    this.ports = ports;
  }

  /** The kept parts of every port handed out, in the order ports were handed out. */
  List<Chosen> assemble(Collection<? extends StagedPart> parts) {
    Map<String, TreeMap<Integer, Part>> kept = new LinkedHashMap<>();
    ports.keySet().forEach(p -> kept.put(p, new TreeMap<>()));
    List<Part> losers = new ArrayList<>();
    for (StagedPart given : parts) {
      Part p = check(given);
      Part other = kept.get(p.port()).get(p.part());
      if (other == null) {
        kept.get(p.port()).put(p.part(), p);
      } else if (other.attempt() == p.attempt()) {
        // The same attempt delivered twice: one set of files, kept once.
        continue;
      } else if (p.attempt() < other.attempt()) {
        kept.get(p.port()).put(p.part(), p);
        losers.add(other);
      } else {
        losers.add(p);
      }
    }
    List<Chosen> chosen = new ArrayList<>();
    for (Map.Entry<String, TreeMap<Integer, Part>> e : kept.entrySet()) {
      chosen.add(absorb(e.getKey(), ports.get(e.getKey()), List.copyOf(e.getValue().values())));
    }
    for (Part loser : losers) {
      discard(loser);
    }
    if (!losers.isEmpty()) {
      LOG.info(
          "Run {}: {} losing attempts (retried or speculative tasks) discarded: {}",
          runId,
          losers.size(),
          losers);
    }
    return chosen;
  }

  private Part check(StagedPart given) {
    if (!(given instanceof Part p)) {
      throw new IllegalArgumentException(
          "Cannot commit run "
              + runId
              + " with "
              + given
              + ": it is not a part staged by a PartWriter. Send back what PartWriter.finish()"
              + " returned.");
    }
    if (!runId.equals(p.runId())) {
      throw new RunStateException(
          "Cannot commit run "
              + runId
              + " with "
              + p
              + ": it was staged for run "
              + p.runId()
              + ". Give each run's commit the parts written from its own specs.");
    }
    if (!ports.containsKey(p.port())) {
      throw new RunStateException(
          "Cannot commit run "
              + runId
              + " with "
              + p
              + ": the run handed out parts only of "
              + ports.keySet()
              + ".");
    }
    return p;
  }

  private Chosen absorb(String port, Port to, List<Part> parts) {
    List<StagedFiles> files = new ArrayList<>();
    List<StagedFiles> quarantine = new ArrayList<>();
    long quarantinedRows = 0;
    long rows = 0;
    long stateBytes = 0;
    for (Part p : parts) {
      if (to.session() != null) {
        if (p.quality() == null) {
          throw new RunStateException(
              "Cannot commit run "
                  + runId
                  + ": "
                  + p
                  + " carries no quality state, but the run checks the port. The task built no"
                  + " quality gate: add dev.meshwork:sdk-quality to the job, or give the spec a"
                  + " gate with withQualityGate(...).");
        }
        try {
          to.session().absorb(to.shape(), p.quality());
        } catch (IllegalArgumentException e) {
          throw new RunStateException("Cannot commit run " + runId + ": " + e.getMessage());
        }
        stateBytes += p.qualityStateBytes();
      }
      files.add(p.staged());
      if (p.quarantine() != null) {
        quarantine.add(p.quarantine());
      }
      quarantinedRows += p.quarantinedRows();
      rows += p.rows();
    }
    LOG.info(
        "Run {}: output '{}' assembled from {} parts: {} rows, {} quarantined, {} bytes of quality"
            + " state",
        runId,
        port,
        parts.size(),
        rows,
        quarantinedRows,
        stateBytes);
    return new Chosen(port, files, quarantine, quarantinedRows);
  }

  /** Deletes the files of every given part not deleted yet (the commit failed). */
  void discardAll(Collection<? extends StagedPart> parts) {
    for (StagedPart given : parts) {
      if (given instanceof Part p && ports.containsKey(p.port()) && runId.equals(p.runId())) {
        discard(p);
      }
    }
  }

  private void discard(Part p) {
    if (!discarded.add(p)) {
      return;
    }
    Port port = ports.get(p.port());
    try {
      port.table().discard(p.staged());
      if (p.quarantine() != null && port.quarantine() != null) {
        port.quarantine().discard(p.quarantine());
      }
    } catch (RuntimeException e) {
      LOG.warn("Run {}: could not delete the files of {}: {}", runId, p, e.getMessage());
    }
  }
}
