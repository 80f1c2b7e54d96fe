package dev.meshwork.iceberg.internal;

import dev.meshwork.spi.StagedFiles;
import java.util.List;
import org.apache.iceberg.DataFile;

/** Data files written for one output of one run, not yet in any snapshot. */
record IcebergStagedFiles(List<DataFile> dataFiles) implements StagedFiles {

  IcebergStagedFiles {
    dataFiles = List.copyOf(dataFiles);
  }

  @Override
  public List<String> locations() {
    return dataFiles.stream().map(DataFile::location).toList();
  }

  @Override
  public long rows() {
    return dataFiles.stream().mapToLong(DataFile::recordCount).sum();
  }

  @Override
  public long bytes() {
    return dataFiles.stream().mapToLong(DataFile::fileSizeInBytes).sum();
  }
}
