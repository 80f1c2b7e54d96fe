package dev.meshwork.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshwork.core.Erasure;
import dev.meshwork.core.ErasureReport;
import dev.meshwork.core.Filter;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.PolicyDeniedException;
import dev.meshwork.core.Principal;
import dev.meshwork.core.Run;
import dev.meshwork.core.WriteMode;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.spi.Action;
import dev.meshwork.spi.Decision;
import dev.meshwork.spi.PolicyEngine;
import dev.meshwork.spi.PolicyRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The right to erasure on a real embedded warehouse: one customer's rows go from the current
 * version, from every older version and from storage (every Parquet file left under the tables is
 * read back, referenced or not), everyone else's rows stay, a consumer that derived rows from them
 * is named, a repeated request erases nothing more, and a denied request erases nothing.
 */
class ErasureTest {
  private static final Path DIR = Path.of("src/test/resources/erasure");
  private static final Principal OWNER = Principal.user("dpo@example.com");
  private static final String ANA = "ana@example.com";

  record Customer(long customerId, String email, String country) {}

  record CustomerIn(long customerId, String email, String country) {}

  record Recipient(String email, String segment) {}

  @TempDir Path warehouse;

  private static DataProduct crm() {
    return DataProduct.load(DIR.resolve("crm.yaml"));
  }

  private static DataProduct mailing() {
    return DataProduct.load(DIR.resolve("mailing.yaml"));
  }

  private static void publish(Mesh mesh, Customer... customers) {
    try (Run run = mesh.start(crm(), OWNER)) {
      run.output("customers", Customer.class).writeAll(List.of(customers));
      run.commit();
    }
  }

  private static void mail(Mesh mesh) {
    try (Run run = mesh.start(mailing(), OWNER)) {
      List<CustomerIn> in;
      try (Stream<CustomerIn> rows = run.input("customers", CustomerIn.class).read()) {
        in = rows.toList();
      }
      run.output("recipients", Recipient.class)
          .writeAll(in.stream().map(c -> new Recipient(c.email(), c.country())).toList());
      run.commit();
    }
  }

  /** Three versions, Ana in two files, one of her rows hidden by a merge-on-read delete. */
  private void history(Mesh mesh) {
    publish(mesh, new Customer(1, ANA, "DE"), new Customer(2, "bo@example.com", "FR"));
    mail(mesh);
    publish(mesh, new Customer(3, "cy@example.com", "DE"), new Customer(4, ANA, "AT"));
    table(mesh, "sales.crm.customers")
        .updateProperties()
        .set("write.delete.mode", "merge-on-read")
        .commit();
    try (Run run = mesh.start(crm(), OWNER)) {
      run.output("customers", Customer.class, WriteMode.delete(Filter.eq("customer_id", 4L)));
      run.commit();
    }
    mail(mesh);
  }

  @Test
  void aSubjectsRowsLeaveEveryVersionAndEveryFileWhileEveryoneElsesStay() throws IOException {
    try (Mesh mesh = Mesh.builder().store(IcebergStore.embedded(warehouse)).build()) {
      history(mesh);
      Maintenance.of((IcebergStore) mesh.store()).expireSnapshots(crm());
      // A killed run's staged file: no version refers to it, and it holds Ana.
      String customerTable = "sales.crm.customers";
      Path customers = Path.of(table(mesh, customerTable).location().replace("file:", ""));
      Path someFile;
      try (Stream<Path> files = Files.walk(customers.resolve("data"))) {
        someFile = files.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
      }
      Files.copy(someFile, customers.resolve("data/killed-run-00001.parquet"));
      assertThat(emailsOnDisk(mesh, customerTable)).contains(ANA);
      List<String> othersBefore = rows(mesh, "sales.crm.customers");

      Erasure request = Erasure.of("customer", ANA).because("GDPR art. 17 request #4711");
      ErasureReport report = mesh.erase(request, OWNER, List.of(crm()));

      assertThat(report.verified()).as(report.describe()).isFalse();
      assertThat(report.uncovered())
          .as("the mailing product holds Ana too, and was not given")
          .containsExactly("marketing.mailing.recipients");
      ErasureReport.TableErasure t = report.tables().get(0);
      assertThat(t.table()).isEqualTo("sales.crm.customers");
      assertThat(t.columns()).containsExactly("email");
      assertThat(t.rowsDeleted())
          .as("only the live row: the other was already deleted")
          .isEqualTo(1);
      assertThat(t.verified()).isTrue();
      assertThat(t.snapshotsExpired()).isPositive();
      assertThat(t.filesRemoved()).isPositive();
      assertThat(t.consumers()).containsExactly("marketing.mailing.recipients.customers");
      assertThat(t.droppedPins()).isNotEmpty();
      assertThat(emailsOnDisk(mesh, customerTable)).doesNotContain(ANA).contains("bo@example.com");
      assertThat(rows(mesh, "sales.crm.customers"))
          .containsExactlyInAnyOrderElementsOf(
              othersBefore.stream().filter(r -> !r.contains(ANA)).toList());
      assertThat(report.describe())
          .contains("1 rows deleted", "marketing.mailing.recipients")
          .doesNotContain(ANA);

      ErasureReport both = mesh.erase(request, OWNER, List.of(crm(), mailing()));
      assertThat(both.verified()).as(both.describe()).isTrue();
      assertThat(both.tables())
          .extracting(ErasureReport.TableErasure::table)
          .containsExactly("sales.crm.customers", "marketing.mailing.recipients");
      assertThat(both.tables().get(0).rowsDeleted())
          .as("the same request again deletes nothing more")
          .isEqualTo(1);
      assertThat(both.tables().get(1).rowsDeleted())
          .as("both mailing runs copied Ana")
          .isEqualTo(2);
      assertThat(emailsOnDisk(mesh, "marketing.mailing.recipients"))
          .doesNotContain(ANA)
          .contains("bo@example.com");
    }
  }

  /**
   * Another engine's equality deletes keyed by the subject's column (an upsert sink keyed by
   * e-mail) hold the subject's value: they are rewritten without it, under their sequence number,
   * so that they still delete everyone else's rows they deleted.
   */
  @Test
  void equalityDeletesAnotherEngineKeyedByTheSubjectAreRewrittenWithoutItAndStillDeleteTheRest()
      throws IOException {
    try (Mesh mesh = Mesh.builder().store(IcebergStore.embedded(warehouse)).build()) {
      publish(mesh, new Customer(1, ANA, "DE"), new Customer(3, "cy@example.com", "DE"));
      // Bo's file holds nothing of Ana: the erasure leaves it, and the deletes must still hide him.
      publish(mesh, new Customer(2, "bo@example.com", "FR"));
      Table t = table(mesh, "sales.crm.customers");
      // The other engine deletes Ana and Bo by e-mail, then Ana signs up again (a later append).
      org.apache.iceberg.Schema byEmail = t.schema().select("email");
      String location = t.locationProvider().newDataLocation("other-engine-eq-deletes.parquet");
      org.apache.iceberg.deletes.EqualityDeleteWriter<Record> writer =
          Parquet.writeDeletes(t.io().newOutputFile(location))
              .forTable(t)
              .rowSchema(byEmail)
              .equalityFieldIds(List.of(t.schema().findField("email").fieldId()))
              .createWriterFunc(org.apache.iceberg.data.parquet.GenericParquetWriter::create)
              .buildEqualityWriter();
      try (writer) {
        for (String email : List.of(ANA, "bo@example.com")) {
          Record r = org.apache.iceberg.data.GenericRecord.create(byEmail);
          r.setField("email", email);
          writer.write(r);
        }
      }
      t.newRowDelta().addDeletes(writer.toDeleteFile()).commit();
      publish(mesh, new Customer(4, ANA, "PT"));
      assertThat(rows(mesh, "sales.crm.customers"))
          .containsExactlyInAnyOrder("[3, cy@example.com, DE]", "[4, " + ANA + ", PT]");
      assertThat(emailsOnDisk(mesh, "sales.crm.customers")).contains(ANA);

      ErasureReport report =
          mesh.erase(
              Erasure.of("customer", ANA).because("GDPR art. 17 request #4712"),
              OWNER,
              List.of(crm()));

      assertThat(report.verified()).as(report.describe()).isTrue();
      assertThat(report.tables().get(0).rowsDeleted()).isEqualTo(1);
      assertThat(rows(mesh, "sales.crm.customers"))
          .as("Bo stays deleted: the rewritten deletes still apply to his row")
          .containsExactly("[3, cy@example.com, DE]");
      assertThat(emailsOnDisk(mesh, "sales.crm.customers"))
          .doesNotContain(ANA)
          .contains("bo@example.com", "cy@example.com");
      t.refresh();
      assertThat(t.currentSnapshot().summary()).containsEntry("meshwork.maintenance", "erasure");
    }
  }

  @Test
  void aDeniedErasureErasesNothingAndTheEngineHearsWhoWhatAndWhy() {
    List<PolicyRequest> asked = new ArrayList<>();
    PolicyEngine noErasure =
        r -> {
          asked.add(r);
          return r.action() == Action.ERASE
              ? Decision.deny("only the DPO team erases")
              : Decision.allow("test");
        };
    try (Mesh mesh =
        Mesh.builder().store(IcebergStore.embedded(warehouse)).policy(noErasure).build()) {
      history(mesh);
      List<String> before = rows(mesh, "sales.crm.customers");
      Erasure request = Erasure.of("customer", ANA).because("GDPR art. 17 request #4711");
      assertThatThrownBy(() -> mesh.erase(request, OWNER, List.of(crm(), mailing())))
          .isInstanceOf(PolicyDeniedException.class)
          .hasMessageContaining("ERASE")
          .hasMessageContaining("only the DPO team erases");
      assertThat(rows(mesh, "sales.crm.customers")).containsExactlyInAnyOrderElementsOf(before);
      PolicyRequest erase =
          asked.stream().filter(r -> r.action() == Action.ERASE).findFirst().orElseThrow();
      assertThat(erase.principal()).isEqualTo(OWNER);
      assertThat(erase.port()).isEqualTo("customers");
      assertThat(erase.purpose()).isEqualTo("GDPR art. 17 request #4711");
      assertThatThrownBy(() -> mesh.erase(Erasure.of("customer", ANA), OWNER, List.of(crm())))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("without a reason");
    }
  }

  private static Table table(Mesh mesh, String name) {
    return ((IcebergStore) mesh.store()).catalog().loadTable(TableIdentifier.parse(name));
  }

  /** Every row of the table's current version, as text. */
  private static List<String> rows(Mesh mesh, String name) {
    List<String> out = new ArrayList<>();
    Table t = table(mesh, name);
    try (CloseableIterable<Record> rows = IcebergGenerics.read(t).build()) {
      // The table's columns only: rows read through position deletes carry _pos too.
      rows.forEach(
          r ->
              out.add(
                  t.schema().columns().stream()
                      .map(c -> String.valueOf(r.getField(c.name())))
                      .toList()
                      .toString()));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out;
  }

  /** The emails in every Parquet data file under a table's folder, referenced or not. */
  private static List<String> emailsOnDisk(Mesh mesh, String name) throws IOException {
    Table t = table(mesh, name);
    Path table = Path.of(t.location().replace("file:", ""));
    List<String> out = new ArrayList<>();
    // Optional: position delete files under data/ have no email column.
    org.apache.iceberg.Schema email =
        new org.apache.iceberg.Schema(
            org.apache.iceberg.types.Types.NestedField.optional(
                t.schema().findField("email").fieldId(),
                "email",
                org.apache.iceberg.types.Types.StringType.get()));
    List<Path> files;
    try (Stream<Path> walk = Files.walk(table.resolve("data"))) {
      files = walk.filter(p -> p.toString().endsWith(".parquet")).toList();
    }
    for (Path f : files) {
      try (CloseableIterable<Record> rows =
          Parquet.read(org.apache.iceberg.Files.localInput(f.toFile()))
              .project(email)
              .createReaderFunc(s -> GenericParquetReaders.buildReader(email, s))
              .build()) {
        rows.forEach(r -> out.add(String.valueOf(r.getField("email"))));
      }
    }
    return out;
  }
}
