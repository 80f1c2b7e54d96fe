package dev.meshwork.spi;

import dev.meshwork.core.WriteMode;
import java.util.Set;

/**
 * An {@link OutputTable} that publishes with write modes beyond append (overwrite, replace
 * partitions, upsert, delete), handed over in {@link PublishRequest#mode()}. A run checks the mode
 * against {@link #writeModes()} when the port opens, so a store without it fails before anything is
 * written.
 */
public interface RowLevelWrites {

  /** The kinds of mode this table publishes with, append included. */
  Set<WriteMode.Kind> writeModes();
}
