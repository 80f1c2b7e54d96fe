package dev.meshwork.samples.cli;

/** The files {@code meshwork init} writes, with {@code {{placeholders}}}. */
final class InitTemplates {
  private InitTemplates() {}

  static final String POM =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <project xmlns="http://maven.apache.org/POM/4.0.0"
               xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
               xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
        <modelVersion>4.0.0</modelVersion>
        <groupId>{{package}}</groupId>
        <artifactId>{{name}}</artifactId>
        <version>1.0.0-SNAPSHOT</version>
        <description>The {{name}} data product, published with Meshwork.</description>

        <properties>
          <maven.compiler.release>17</maven.compiler.release>
          <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
          <meshwork.version>{{version}}</meshwork.version>
        </properties>

        <dependencies>
          <dependency>
            <groupId>dev.meshwork</groupId>
            <artifactId>sdk-core</artifactId>
            <version>${meshwork.version}</version>
          </dependency>
          <dependency>
            <groupId>dev.meshwork</groupId>
            <artifactId>sdk-policy</artifactId>
            <version>${meshwork.version}</version>
          </dependency>
          <!-- Found on the class path: the Iceberg store, the quality gate, OpenLineage. -->
          <dependency>
            <groupId>dev.meshwork</groupId>
            <artifactId>sdk-iceberg</artifactId>
            <version>${meshwork.version}</version>
            <scope>runtime</scope>
          </dependency>
          <dependency>
            <groupId>dev.meshwork</groupId>
            <artifactId>sdk-quality</artifactId>
            <version>${meshwork.version}</version>
            <scope>runtime</scope>
          </dependency>
          <dependency>
            <groupId>dev.meshwork</groupId>
            <artifactId>sdk-lineage</artifactId>
            <version>${meshwork.version}</version>
            <scope>runtime</scope>
          </dependency>
          <dependency>
            <groupId>org.slf4j</groupId>
            <artifactId>slf4j-simple</artifactId>
            <version>2.0.17</version>
            <scope>runtime</scope>
          </dependency>
          <dependency>
            <groupId>org.junit.jupiter</groupId>
            <artifactId>junit-jupiter</artifactId>
            <version>5.14.4</version>
            <scope>test</scope>
          </dependency>
        </dependencies>

        <build>
          <plugins>
            <plugin>
              <groupId>org.apache.maven.plugins</groupId>
              <artifactId>maven-compiler-plugin</artifactId>
              <version>3.13.0</version>
            </plugin>
            <plugin>
              <groupId>org.apache.maven.plugins</groupId>
              <artifactId>maven-surefire-plugin</artifactId>
              <version>3.5.2</version>
              <configuration>
                <argLine>--add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED</argLine>
              </configuration>
            </plugin>
          </plugins>
        </build>
      </project>
      """;

  static final String PRODUCT =
      """
      apiVersion: v1.0.0
      kind: DataProduct
      id: {{id}}
      name: {{name}}
      version: 1.0.0
      status: draft
      domain: {{domain}}
      description:
        purpose: What {{name}} offers its consumers (say it in one sentence).
        usage: Who reads it, and for what.
      tags: [source-aligned]
      outputPorts:
        - name: records
          description: One row per record, replaced by key when it changes.
          type: tables
          version: 1.0.0
          contractId: {{name}}-records
          customProperties:
            - property: writeMode
              value: upsert
      team:
        name: {{name}}-team
        members:
          - username: owner@example.com
            role: owner
      """;

  static final String CONTRACT =
      """
      apiVersion: v3.1.0
      kind: DataContract
      id: {{name}}-records
      name: records
      version: 1.0.0
      status: active
      domain: {{domain}}
      description:
        purpose: The records of {{name}}.
      schema:
        - name: records
          physicalType: table
          description: One row per record.
          quality:
            - id: some-records
              metric: rowCount
              mustBeGreaterThan: 0
              severity: error
              description: A publish holds at least one record
          properties:
            - name: record_id
              logicalType: integer
              physicalType: long
              required: true
              primaryKey: true
              description: The record's key.
            - name: label
              logicalType: string
              required: true
              description: What the record is called.
              quality:
                - id: label-not-blank
                  type: custom
                  engine: meshwork
                  implementation: "size(row.label) > 0"
                  severity: quarantine
                  description: A blank label goes to quarantine
            - name: updated_at
              logicalType: timestamp
              logicalTypeOptions:
                timezone: true
              required: true
              description: When the record last changed.
      team:
        name: {{name}}-team
        members:
          - username: owner@example.com
            role: owner
      """;

  static final String ACCESS =
      """
      # Who may do what with {{name}}. The first applicable grant decides; no grant, no access.
      grants:
        - id: pipeline-owns-{{name}}
          principals: [service:{{name}}-pipeline]
          actions: [RUN, WRITE, PUBLISH]
          products: [{{name}}]
      """;

  static final String GOVERNANCE =
      """
      # Checked on every publish, over what is about to become visible.
      governance:
        - id: documented-columns
          builtin: every-column-has-description
        - id: owned-and-versioned
          builtin: owner-and-contract-version
        - id: semver
          builtin: breaking-change-needs-major-version
      """;

  static final String RECORD =
      """
      package {{package}};

      import java.time.Instant;

      /** One row of the records port (contract {{name}}-records). */
      public record {{Camel}}Record(long recordId, String label, Instant updatedAt) {}
      """;

  static final String PIPELINE =
      """
      package {{package}};

      import dev.meshwork.core.Mesh;
      import dev.meshwork.core.Principal;
      import dev.meshwork.core.Run;
      import dev.meshwork.core.RunResult;
      import dev.meshwork.core.Settings;
      import dev.meshwork.core.model.DataProduct;
      import dev.meshwork.policy.Policies;
      import java.nio.file.Path;
      import java.time.Clock;
      import java.time.Instant;
      import java.util.List;

      /** Publishes the {{name}} product: replace {@link #records} with what the product computes. */
      public final class {{Camel}}Pipeline {
        /** The pipeline's identity, granted RUN, WRITE and PUBLISH in mesh/policies/access.yaml. */
        public static final Principal PIPELINE = Principal.service("{{name}}-pipeline");

        private {{Camel}}Pipeline() {}

        /** The product's descriptor under {@code mesh}. */
        public static DataProduct product(Path mesh) {
          return DataProduct.load(mesh.resolve("{{name}}.yaml"));
        }

        /** What this run publishes. */
        public static List<{{Camel}}Record> records(Instant now) {
          return List.of(
              new {{Camel}}Record(1, "first", now),
              new {{Camel}}Record(2, "second", now),
              new {{Camel}}Record(3, "third", now));
        }

        /** One run: writes the records and publishes them as one version (an upsert by key). */
        public static RunResult publish(Mesh mesh, DataProduct product, Principal who, Instant now) {
          try (Run run = mesh.start(product, who)) {
            run.output("records", {{Camel}}Record.class).writeAll(records(now));
            return run.commit();
          }
        }

        /** Runs once into the warehouse of the settings (default ./warehouse). */
        public static void main(String[] args) {
          Path mesh = Path.of("mesh");
          Settings settings = Settings.fromEnvironment();
          try (Mesh m =
              Mesh.builder()
                  .settings(settings)
                  .policy(
                      Policies.fromDirectory(
                          mesh.resolve("policies"),
                          settings.localFolder().resolve("policy/decision-log.jsonl"),
                          Clock.systemUTC()))
                  .build()) {
            RunResult r = publish(m, product(mesh), PIPELINE, Instant.now());
            System.out.println("Published " + r.output("records").rows() + " records of {{name}}");
          }
        }
      }
      """;

  static final String TEST =
      """
      package {{package}};

      import dev.meshwork.core.model.DataProduct;
      import dev.meshwork.testing.MeshExtension;
      import java.nio.file.Path;
      import java.time.Instant;
      import org.junit.jupiter.api.Test;
      import org.junit.jupiter.api.extension.RegisterExtension;

      /** The pipeline on a fresh embedded warehouse: its version holds one row per key. */
      class {{Camel}}PipelineTest {
        @RegisterExtension final MeshExtension mesh = MeshExtension.embedded();

        @Test
        void publishesEveryRecordOncePerKey() {
          DataProduct product = {{Camel}}Pipeline.product(Path.of("mesh"));
          Instant now = Instant.parse("2026-01-01T00:00:00Z");
          mesh.run(product, run -> run.output("records", {{Camel}}Record.class)
              .writeAll({{Camel}}Pipeline.records(now)));
          // A second run upserts the same keys: still three rows.
          mesh.run(product, run -> run.output("records", {{Camel}}Record.class)
              .writeAll({{Camel}}Pipeline.records(now.plusSeconds(60))));
          mesh.published(product, "records").hasRows(3).hasUniqueValues("record_id").hasNoNulls("label");
        }
      }
      """;

  static final String TEST_LOGGING =
      """
      # The test's own output stays readable: the SDK's warnings and errors only.
      org.slf4j.simpleLogger.defaultLogLevel=warn
      """;

  static final String README =
      """
      # {{name}}

      A data product published with Meshwork ({{version}}).

      ```bash
      mvn verify                                   # the pipeline's test, on a temporary warehouse
      mvn -q compile exec:java -Dexec.mainClass={{package}}.{{Camel}}Pipeline   # publish into ./warehouse
      meshwork lint mesh                           # descriptors, contract and governance rules
      ```

      - `mesh/{{name}}.yaml`: the product (ODPS); `mesh/contracts/{{name}}.odcs.yaml`: its port's contract (ODCS).
      - `mesh/policies/`: who may run and read it, and the governance rules every publish meets.
      - `src/main/java/.../{{Camel}}Pipeline.java`: what the product computes; its test beside it.
      """;
}
