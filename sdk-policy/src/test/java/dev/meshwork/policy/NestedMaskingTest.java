package dev.meshwork.policy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshwork.core.MaskKey;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.PolicyDeniedException;
import dev.meshwork.core.Principal;
import dev.meshwork.core.Run;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.iceberg.IcebergStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Classified fields inside structs, lists and maps, at any depth, are masked in the reader, count
 * for the {@code pii-masked-or-private} rule, and can be filtered on.
 */
class NestedMaskingTest {
  static final Principal HR_ETL = Principal.service("hr-etl");
  static final Principal REPORTS_ETL = Principal.service("reports-etl");
  static final MaskKey KEY = MaskKey.of("nested-masking-test-key", "test");

  record Contact(String email, String country) {}

  record Address(String line, String city) {}

  record Profile(List<Address> addresses) {}

  record Person(
      long personId,
      String name,
      String email,
      Integer badge,
      Contact contact,
      List<Contact> contacts,
      List<String> phones,
      Map<String, String> labels,
      Profile profile) {}

  static final String CONTRACT =
      """
      apiVersion: v3.1.0
      kind: DataContract
      id: hr-people
      version: 1.0.0
      status: active
      schema:
        - name: people
          properties:
            - {name: person_id, logicalType: integer, primaryKey: true, description: Id.}
            - {name: name, logicalType: string, description: Name.}
            - {name: email, logicalType: string, classification: restricted, description: Mail.}
            - {name: badge, logicalType: integer, physicalType: int, classification: restricted, description: Badge number.}
            - name: contact
              logicalType: object
              description: Main contact.
              properties:
                - {name: email, logicalType: string, classification: restricted, description: Mail.}
                - {name: country, logicalType: string, description: Country.}
            - name: contacts
              logicalType: array
              description: Other contacts.
              items:
                name: contact
                logicalType: object
                properties:
                  - {name: email, logicalType: string, classification: restricted, description: Mail.}
                  - {name: country, logicalType: string, description: Kind of contact.}
            - name: phones
              logicalType: array
              description: Phone numbers.
              items: {name: phone, logicalType: string, classification: restricted}
            - name: labels
              logicalType: object
              physicalType: map
              classification: restricted
              description: Free labels; keys can be personal too.
              items: {name: label, logicalType: string}
            - name: profile
              logicalType: object
              description: Profile.
              properties:
                - name: addresses
                  logicalType: array
                  description: Addresses.
                  items:
                    name: address
                    logicalType: object
                    properties:
                      - {name: line, logicalType: string, classification: restricted, description: Street.}
                      - {name: city, logicalType: string, description: City.}
      """;

  static final String STAFF =
      """
      apiVersion: v1.0.0
      kind: DataProduct
      id: hr-staff
      name: staff
      domain: hr
      version: 1.0.0
      status: active
      team: {name: hr-team, members: [{username: hana, role: owner}]}
      outputPorts:
        - {name: people, version: 1.0.0, contractId: hr-people}
      """;

  static final String REPORTS =
      """
      apiVersion: v1.0.0
      kind: DataProduct
      id: hr-reports
      name: reports
      domain: hr
      version: 1.0.0
      status: active
      team: {name: reports-team, members: [{username: rob, role: owner}]}
      inputPorts:
        - {name: people, version: 1.0.0, contractId: hr-people}
      """;

  static final String GOVERNANCE =
      """
      governance:
        - {id: pii, builtin: pii-masked-or-private}
      """;

  @TempDir Path dir;

  @BeforeEach
  void writeProducts() throws IOException {
    Files.createDirectories(dir.resolve("contracts"));
    Files.createDirectories(dir.resolve("policies"));
    Files.writeString(dir.resolve("contracts/people.odcs.yaml"), CONTRACT);
    Files.writeString(dir.resolve("staff.yaml"), STAFF);
    Files.writeString(dir.resolve("reports.yaml"), REPORTS);
    Files.writeString(dir.resolve("policies/governance.yaml"), GOVERNANCE);
  }

  /** Grants: the owner writes, the reports pipeline reads with these masks and row filter. */
  void policies(String masks, String rowFilter) throws IOException {
    Files.writeString(
        dir.resolve("policies/access.yaml"),
        """
        grants:
          - {id: hr-owns-staff, principals: [service:hr-etl], actions: [RUN, WRITE, PUBLISH], products: [staff]}
          - {id: reports-run, principals: [service:reports-etl], actions: [RUN], products: [reports]}
          - id: reports-read-people
            principals: [service:reports-etl]
            actions: [READ]
            contracts: [hr-people]
            masks: %s
        %s"""
            .formatted(masks, rowFilter == null ? "" : "    rowFilter: \"" + rowFilter + "\"\n"));
  }

  Mesh mesh() {
    return Mesh.builder()
        .store(IcebergStore.embedded(dir.resolve("warehouse")))
        .maskKey(KEY)
        .policy(Policies.fromDirectory(dir.resolve("policies")))
        .build();
  }

  static List<Person> people() {
    return List.of(
        new Person(
            1,
            "Ann",
            "ann@example.com",
            1001,
            new Contact("ann.home@example.com", "NL"),
            List.of(
                new Contact("ann.work@example.com", "work"),
                new Contact("ann.old@example.com", "old")),
            List.of("+31 6 1111", "+31 6 2222"),
            new LinkedHashMap<>(Map.of("ann-nickname", "annie")),
            new Profile(List.of(new Address("Ann Street 1", "Utrecht")))),
        new Person(
            2,
            "Bob",
            "bob@example.com",
            1002,
            new Contact("bob.home@example.com", "XX"),
            List.of(),
            List.of("+32 4 3333"),
            Map.of(),
            new Profile(List.of())),
        new Person(
            3,
            "Cy",
            null,
            null,
            new Contact(null, "BE"),
            List.of(new Contact("cy.work@example.com", "blocked")),
            List.of(),
            Map.of(),
            new Profile(List.of(new Address("Cy Road 9", "Gent")))));
  }

  void publish(Mesh mesh) {
    try (Run run = mesh.start(DataProduct.load(dir.resolve("staff.yaml")), HR_ETL)) {
      run.output("people", Person.class).writeAll(people());
      run.commit();
    }
  }

  List<Person> readAsReports(Mesh mesh) {
    try (Run run = mesh.start(DataProduct.load(dir.resolve("reports.yaml")), REPORTS_ETL);
        Stream<Person> s = run.input("people", Person.class).read()) {
      return s.toList();
    }
  }

  static String hash(String value) {
    return HexFormat.of()
        .formatHex(MaskKey.hmac(KEY.derive("grant:reports-read-people"), value.getBytes(UTF_8)));
  }

  static int hash(int value) {
    byte[] d =
        MaskKey.hmac(
            KEY.derive("grant:reports-read-people"), Integer.toString(value).getBytes(UTF_8));
    return java.nio.ByteBuffer.wrap(d).getInt();
  }

  @Test
  void classifiedFieldsAtEveryDepthAreHashedAndTheRestArrivesAsWritten() throws IOException {
    policies("[{classification: restricted, with: hash}]", null);
    try (Mesh mesh = mesh()) {
      publish(mesh);
      List<Person> seen = readAsReports(mesh);

      assertThat(seen).hasSize(3);
      Person ann = seen.get(0);
      assertThat(ann.name()).isEqualTo("Ann");
      assertThat(ann.email()).isEqualTo(hash("ann@example.com"));
      assertThat(ann.badge()).isEqualTo(hash(1001));
      assertThat(ann.contact()).isEqualTo(new Contact(hash("ann.home@example.com"), "NL"));
      assertThat(ann.contacts())
          .containsExactly(
              new Contact(hash("ann.work@example.com"), "work"),
              new Contact(hash("ann.old@example.com"), "old"));
      assertThat(ann.phones()).containsExactly(hash("+31 6 1111"), hash("+31 6 2222"));
      // The whole map is classified: keys are as personal as values, and both are hashed.
      assertThat(ann.labels()).containsExactly(Map.entry(hash("ann-nickname"), hash("annie")));
      assertThat(ann.profile().addresses())
          .containsExactly(new Address(hash("Ann Street 1"), "Utrecht"));
      Person cy = seen.get(2);
      assertThat(cy.email()).isNull();
      assertThat(cy.contact()).isEqualTo(new Contact(null, "BE"));
      assertThat(seen.toString()).doesNotContain("@example.com", "+31", "Street", "Road", "annie");
    }
  }

  @Test
  void redactAndNullReachListElementsMapValuesAndDeepFields() throws IOException {
    policies(
        "[{classification: restricted, with: redact}, {column: contact, with: \"null\"}]", null);
    try (Mesh mesh = mesh()) {
      publish(mesh);
      Person ann = readAsReports(mesh).get(0);

      assertThat(ann.email()).isEqualTo("****");
      assertThat(ann.badge()).as("a number cannot be redacted: it is dropped").isNull();
      // contact.email was redacted by the first rule; the second nulls the whole struct.
      assertThat(ann.contact()).isNull();
      assertThat(ann.contacts()).extracting(Contact::email).containsExactly("****", "****");
      assertThat(ann.contacts()).extracting(Contact::country).containsExactly("work", "old");
      assertThat(ann.phones()).containsExactly("****", "****");
      assertThat(ann.labels()).as("redacted keys would collide: the map is dropped").isNull();
      assertThat(ann.profile().addresses()).containsExactly(new Address("****", "Utrecht"));
    }
  }

  @Test
  void rowFiltersSeeNestedFieldsAndListElements() throws IOException {
    policies(
        "[{classification: restricted, with: hash}]",
        "row.contact.country != 'XX' && !row.contacts.exists(c, c.country == 'blocked')");
    try (Mesh mesh = mesh()) {
      publish(mesh);
      assertThat(readAsReports(mesh)).extracting(Person::name).containsExactly("Ann");
    }
  }

  @Test
  void governanceNamesEveryNestedPersonalFieldAReaderSeesUnmasked() throws IOException {
    policies("[{column: contact.email, with: hash}, {column: email, with: hash}]", null);
    try (Mesh mesh = mesh()) {
      assertThatThrownBy(() -> publish(mesh))
          .isInstanceOf(PolicyDeniedException.class)
          .hasMessageContaining("governance rule pii")
          .hasMessageContaining(
              "PII columns [badge, contacts[].email, phones[], labels, profile.addresses[].line]"
                  + " are readable unmasked");
    }
    policies("[{classification: restricted, with: hash}]", null);
    try (Mesh mesh = mesh()) {
      publish(mesh);
      assertThat(readAsReports(mesh)).hasSize(3);
    }
  }
}
