package dev.meshwork.iceberg.internal;

import dev.meshwork.core.StoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.PartitionStatisticsFile;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StatisticsFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and deletes the files under a table's location that no version of the table refers to:
 * staged files of runs that were killed, the metadata of commits that never reached the catalog,
 * files of a table whose creating run died before its first publish. Only files older than a
 * cut-off are touched, so files of runs still writing are safe; lists of commits with an unknown
 * outcome younger than the cut-off keep the files they name for their rerun.
 */
public final class OrphanFiles {
  private static final Logger LOG = LoggerFactory.getLogger(OrphanFiles.class);
  private static final String UNKNOWN_COMMITS = "/metadata/meshwork-unknown-commits/";

  private OrphanFiles() {}

  /** What one table's pass found. */
  public record Result(String table, int deleted, long deletedBytes, int tooYoung) {}

  /**
   * Removes the orphan files of {@code id} older than {@code cutoff}; a table that does not exist
   * is looked for at the location the catalog would give it (every file there is an orphan).
   */
  public static Result remove(Catalog catalog, TableIdentifier id, Instant cutoff) {
    Table table = catalog.tableExists(id) ? catalog.loadTable(id) : null;
    String location;
    FileIO io;
    if (table != null) {
      location = table.location();
      io = table.io();
    } else {
      org.apache.iceberg.Transaction staged;
      try {
        staged = catalog.buildTable(id, new Schema()).createTransaction();
      } catch (RuntimeException e) {
        // No namespace: nothing was ever written for it.
        return new Result(id.toString(), 0, 0, 0);
      }
      location = staged.table().location();
      io = staged.table().io();
    }
    if (!(io instanceof SupportsPrefixOperations lister)) {
      throw new StoreException(
          "Cannot look for orphan files of "
              + id
              + ": its FileIO "
              + io.getClass().getName()
              + " cannot list files. Use the store's default FileIO (LocalFileIO or S3FileIO).");
    }
    Set<String> keep = table == null ? new HashSet<>() : reachable(table);
    List<FileInfo> candidates = new ArrayList<>();
    int tooYoung = 0;
    // The trailing slash keeps "orders" from listing "orders__quarantine".
    for (FileInfo f : lister.listPrefix(location + "/")) {
      if (keep.contains(normal(f.location()))) {
        continue;
      }
      if (Instant.ofEpochMilli(f.createdAtMillis()).isAfter(cutoff)) {
        tooYoung++;
        if (f.location().contains(UNKNOWN_COMMITS)) {
          // A commit of unknown outcome, recent enough for its rerun: its files stay too.
          keepListed(io, f.location(), keep);
        }
        continue;
      }
      candidates.add(f);
    }
    int deleted = 0;
    long bytes = 0;
    for (FileInfo f : candidates) {
      // Checked again: a recent unknown-commit list may be listed after the files it names.
      if (keep.contains(normal(f.location()))) {
        continue;
      }
      try {
        io.deleteFile(f.location());
        deleted++;
        bytes += f.size();
      } catch (RuntimeException e) {
        LOG.warn("Could not delete orphan file {} of {}: {}", f.location(), id, e.getMessage());
      }
    }
    if (deleted > 0) {
      LOG.info("Deleted {} orphan files ({} bytes) of {}", deleted, bytes, id);
    }
    return new Result(id.toString(), deleted, bytes, tooYoung);
  }

  private static void keepListed(FileIO io, String list, Set<String> keep) {
    try (var in = io.newInputFile(list).newStream()) {
      for (String line :
          new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank()) {
          keep.add(normal(line.trim()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every file a version of {@code t} refers to: metadata, manifests, content and statistics. */
  static Set<String> reachable(Table t) {
    Set<String> out = new HashSet<>();
    TableMetadata meta = ((BaseTable) t).operations().refresh();
    out.add(normal(meta.metadataFileLocation()));
    meta.previousFiles().forEach(f -> out.add(normal(f.file())));
    for (StatisticsFile s : meta.statisticsFiles()) {
      out.add(normal(s.path()));
    }
    for (PartitionStatisticsFile s : meta.partitionStatisticsFiles()) {
      out.add(normal(s.path()));
    }
    for (Snapshot s : meta.snapshots()) {
      if (s.manifestListLocation() != null) {
        out.add(normal(s.manifestListLocation()));
      }
      for (ManifestFile m : s.allManifests(t.io())) {
        out.add(normal(m.path()));
        if (m.content() == org.apache.iceberg.ManifestContent.DELETES) {
          try (var deletes = ManifestFiles.readDeleteManifest(m, t.io(), t.specs())) {
            deletes.forEach(d -> out.add(normal(d.location())));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          continue;
        }
        try (var files = ManifestFiles.read(m, t.io(), t.specs())) {
          files.forEach(f -> out.add(normal(f.location())));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return out;
  }

  /** One spelling per file: {@code file:/p}, {@code file:///p} and {@code /p} are the same. */
  static String normal(String location) {
    if (location.startsWith("file:") || location.startsWith("/")) {
      return LocalFileIO.path(location).toAbsolutePath().normalize().toString();
    }
    return location;
  }
}
