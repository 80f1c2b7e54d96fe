package dev.meshwork.iceberg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshwork.core.SummaryKeys;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.hadoop.HadoopTables;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run index: bounded to the newest runs, written with the version, read without history. */
class RunIndexTest {
  @TempDir Path dir;

  @Test
  void theIndexKeepsTheNewestRunsAndForgetsTheOldestBeyondItsSize() {
    Table table =
        new HadoopTables()
            .create(
                new Schema(Types.NestedField.required(1, "id", Types.LongType.get())),
                PartitionSpec.unpartitioned(),
                Map.of(SummaryKeys.PUBLISHED_RUNS, "3"),
                dir.resolve("t").toString());
    List<String> runs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String run = UUID.randomUUID().toString();
      runs.add(run);
      Transaction txn = table.newTransaction();
      txn.newAppend().appendFile(file(i)).set(SummaryKeys.RUN_ID, run).commit();
      RunIndex.record(txn, List.of(run), txn.table().currentSnapshot());
      txn.commitTransaction();
    }
    table.refresh();

    assertThat(
            table.properties().keySet().stream()
                .filter(k -> k.startsWith(SummaryKeys.PUBLISHED_RUN_PREFIX)))
        .hasSize(3);
    for (String run : runs.subList(2, 5)) {
      RunIndex.Entry e = RunIndex.find(table, run).orElseThrow();
      assertThat(e.snapshot().summary()).containsEntry(SummaryKeys.RUN_ID, run);
      assertThat(e.rows()).isEqualTo(10);
      assertThat(e.files()).isEqualTo(1);
    }
    // Beyond the index: not recognised (the documented window), and no history is walked.
    assertThat(RunIndex.find(table, runs.get(0))).isEmpty();
    assertThat(RunIndex.find(table, UUID.randomUUID().toString())).isEmpty();
  }

  private DataFile file(int i) {
    return DataFiles.builder(PartitionSpec.unpartitioned())
        .withPath(dir.resolve("f" + i + ".parquet").toString())
        .withFileSizeInBytes(100)
        .withRecordCount(10)
        .build();
  }
}
