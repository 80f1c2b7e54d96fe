package dev.meshwork.core.internal.runtime;

import dev.meshwork.core.StagedPart;
import dev.meshwork.spi.PartialQuality;
import dev.meshwork.spi.StagedFiles;

/**
 * A staged part as tasks send it: the port's files, the quarantine table's files (null when no row
 * was diverted) and what the part's checks observed (null without checks).
 */
record Part(
    String runId,
    String port,
    int part,
    int attempt,
    StagedFiles staged,
    StagedFiles quarantine,
    long quarantinedRows,
    PartialQuality quality)
    implements StagedPart {
  private static final long serialVersionUID = 1L;

  @Override
  public long rows() {
    return staged.rows();
  }

  @Override
  public int files() {
    return staged.locations().size();
  }

  @Override
  public long bytes() {
    return staged.bytes();
  }

  @Override
  public int qualityStateBytes() {
    return quality == null ? 0 : quality.stateBytes();
  }

  @Override
  public String toString() {
    return "part " + part + " (attempt " + attempt + ") of output port '" + port + "'";
  }
}
