package dev.meshwork.core.internal.runtime;

import dev.meshwork.core.RunStateException;
import dev.meshwork.spi.OutputTable;
import dev.meshwork.spi.StagedFiles;
import dev.meshwork.spi.StagedWriter;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's writer of a port written in parts elsewhere: it writes nothing itself, and
 * finishes with the parts' files combined into one set to publish. Until it hands them over, an
 * abort deletes every part's files.
 */
final class StagedParts<T> implements StagedWriter<T> {
  private static final Logger LOG = LoggerFactory.getLogger(StagedParts.class);

  private final OutputTable table;
  private final List<StagedFiles> parts;
  private final boolean kept;
  private boolean done;

  /** {@code kept}: the parts' files belong to the caller, and an abort leaves them. */
  StagedParts(OutputTable table, List<StagedFiles> parts, boolean kept) {
    this.table = table;
    this.parts = List.copyOf(parts);
    this.kept = kept;
  }

  @Override
  public void write(T value) {
    throw new RunStateException(
        "Cannot write to "
            + table.info().identifier()
            + " here: its rows were written in parts by tasks.");
  }

  @Override
  public long rows() {
    return parts.stream().mapToLong(StagedFiles::rows).sum();
  }

  @Override
  public StagedFiles finish() {
    done = true;
    return Capabilities.parted(table, table.info().identifier()).combine(parts);
  }

  @Override
  public void abort() {
    if (done) {
      return;
    }
    done = true;
    if (kept) {
      return;
    }
    for (StagedFiles f : parts) {
      try {
        table.discard(f);
      } catch (RuntimeException e) {
        LOG.warn(
            "Could not delete staged part files of {}: {}",
            table.info().identifier(),
            e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    abort();
  }
}
