package dev.meshwork.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.meshwork.core.MaskKey;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.Principal;
import dev.meshwork.core.Run;
import dev.meshwork.core.Settings;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.iceberg.IcebergStore;
import dev.meshwork.iceberg.InProcessRestCatalog;
import dev.meshwork.iceberg.InProcessS3;
import dev.meshwork.iceberg.StoreConfig;
import dev.meshwork.lineage.CatalogListener;
import dev.meshwork.lineage.OpenLineageListener;
import dev.meshwork.lineage.OpenMetadataConfig;
import dev.meshwork.lineage.OpenMetadataPublisher;
import dev.meshwork.policy.DecisionLog;
import dev.meshwork.policy.GrantsPolicyEngine;
import dev.meshwork.policy.PolicySet;
import dev.meshwork.policy.TokenVerifier;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.gaul.s3proxy.BlobStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One mesh configured with every kind of secret — S3 keys, a REST catalog credential and token, an
 * OpenMetadata token, the mask key and a bearer token — runs a producer and a consumer on an S3 API
 * server and a REST catalog; no secret may show in logs, lineage events, the decision log, table
 * metadata, snapshot summaries, catalog requests' bodies, exception messages or any {@code
 * toString()}.
 */
class SecretsTest {
  private static final String S3_KEY = "AKIAMESHWORKSECRET01";
  private static final String S3_SECRET = "s3-secret-Zq81xLw0";
  private static final String CATALOG_SECRET = "catalog-secret-Hk29pq";
  private static final String CATALOG_TOKEN = "catalog-token-Pw77mn";
  private static final String OM_TOKEN = "om-jwt-token-Xe55rt";
  private static final String MASK_KEY = "mask-key-secret-Lm42-0123";
  private static final String BUCKET = "secrets";

  @TempDir Path tmp;

  record Customer(long customerId, String name, String email) {}

  record Invoice(long invoiceId, String contact) {}

  private void products() throws Exception {
    Files.createDirectories(tmp.resolve("mesh/contracts"));
    Files.createDirectories(tmp.resolve("mesh/policies"));
    Files.writeString(
        tmp.resolve("mesh/contracts/customers.odcs.yaml"),
        """
        apiVersion: v3.1.0
        kind: DataContract
        id: sec-customers
        version: 1.0.0
        status: active
        schema:
          - name: customers
            properties:
              - {name: customer_id, logicalType: integer, primaryKey: true}
              - {name: name, logicalType: string}
              - {name: email, logicalType: string, classification: restricted}
        """);
    Files.writeString(
        tmp.resolve("mesh/contracts/invoices.odcs.yaml"),
        """
        apiVersion: v3.1.0
        kind: DataContract
        id: sec-invoices
        version: 1.0.0
        status: active
        schema:
          - name: invoices
            properties:
              - {name: invoice_id, logicalType: integer, primaryKey: true}
              - {name: contact, logicalType: string}
        """);
    Files.writeString(
        tmp.resolve("mesh/crm.yaml"),
        """
        apiVersion: v1.0.0
        kind: DataProduct
        id: sec-crm
        name: crm
        domain: sales
        version: 1.0.0
        status: active
        team: {name: crm, members: [{username: olga, role: owner}]}
        outputPorts:
          - {name: customers, version: 1.0.0, contractId: sec-customers}
        """);
    Files.writeString(
        tmp.resolve("mesh/billing.yaml"),
        """
        apiVersion: v1.0.0
        kind: DataProduct
        id: sec-billing
        name: billing
        domain: sales
        version: 1.0.0
        status: active
        team: {name: billing, members: [{username: bea, role: owner}]}
        inputPorts:
          - {name: customers, version: 1.0.0, contractId: sec-customers}
        outputPorts:
          - {name: invoices, version: 1.0.0, contractId: sec-invoices}
        """);
    Files.writeString(
        tmp.resolve("mesh/policies/access.yaml"),
        """
        grants:
          - {id: crm-owners, principals: [group:crm-owners], actions: [RUN, WRITE, PUBLISH], products: [crm]}
          - {id: billing-runs, principals: [service:billing-etl], actions: [RUN, WRITE, PUBLISH], products: [billing]}
          - id: billing-reads
            principals: [service:billing-etl]
            actions: [READ]
            contracts: [sec-customers]
            masks: [{classification: restricted, with: hash}]
        """);
  }

  /** Records every request (path, headers, body) and answers like a catalog that creates. */
  private static HttpServer openMetadata(List<String> requests) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/v1/",
        ex -> {
          String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          requests.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " " + body);
          byte[] answer =
              ex.getRequestMethod().equals("GET")
                  ? "{\"code\":404}".getBytes(StandardCharsets.UTF_8)
                  : ("{\"id\":\""
                          + java.util.UUID.randomUUID()
                          + "\",\"fullyQualifiedName\":\"x\"}")
                      .getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(ex.getRequestMethod().equals("GET") ? 404 : 200, answer.length);
          ex.getResponseBody().write(answer);
          ex.close();
        });
    server.start();
    return server;
  }

  @Test
  void noSecretShowsAnywhere() throws Exception {
    products();
    RSAKey signing = new RSAKeyGenerator(2048).keyID("k1").generate();
    Path jwks = Files.writeString(tmp.resolve("jwks.json"), new JWKSet(signing).toString(false));
    Instant now = Instant.now();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(),
            new JWTClaimsSet.Builder()
                .issuer("https://idp.example.com/realms/mesh")
                .audience("meshwork")
                .claim("preferred_username", "olga")
                .claim("realm_access", Map.of("roles", List.of("crm-owners")))
                .expirationTime(Date.from(now.plusSeconds(300)))
                .build());
    jwt.sign(new RSASSASigner(signing));
    String bearer = jwt.serialize();
    String damaged = bearer.substring(0, bearer.length() - 4) + "AAAA";
    List<String> secrets =
        List.of(
            S3_KEY,
            S3_SECRET,
            CATALOG_SECRET,
            CATALOG_TOKEN,
            OM_TOKEN,
            MASK_KEY,
            bearer,
            jwt.getSignature().toString(),
            signing.getPrivateExponent().toString());

    Properties fs = new Properties();
    fs.setProperty(
        "jclouds.filesystem.basedir", Files.createDirectories(tmp.resolve("s3")).toString());
    List<String> omRequests = new CopyOnWriteArrayList<>();
    List<String> texts = new ArrayList<>();
    ByteArrayOutputStream logs = new ByteArrayOutputStream();
    PrintStream err = System.err;
    PrintStream out = System.out;
    PrintStream capture = new PrintStream(logs, true, StandardCharsets.UTF_8);
    HttpServer om = openMetadata(omRequests);
    String warehouse = "s3://" + BUCKET + "/wh";
    try (InProcessS3 s3 =
            InProcessS3.start(BlobStores.create("filesystem", fs), S3_KEY, S3_SECRET, BUCKET);
        InProcessRestCatalog rest =
            InProcessRestCatalog.start(
                tmp,
                warehouse,
                Map.of(
                    "io-impl", "org.apache.iceberg.aws.s3.S3FileIO",
                    "s3.endpoint", s3.endpoint(),
                    "s3.path-style-access", "true",
                    "s3.access-key-id", S3_KEY,
                    "s3.secret-access-key", S3_SECRET,
                    "client.region", "us-east-1",
                    "http-client.type", "urlconnection"))) {
      System.setErr(capture);
      System.setOut(capture);
      StoreConfig config =
          StoreConfig.builder()
              .warehouse(warehouse)
              .catalogUri(rest.uri())
              .catalogCredential("meshwork-client:" + CATALOG_SECRET)
              .objectStoreIo(StoreConfig.ObjectStoreIo.S3FILEIO)
              .s3Endpoint(s3.endpoint())
              .s3PathStyle()
              .s3Credentials(S3_KEY, S3_SECRET)
              .build();
      OpenMetadataConfig omConfig =
          OpenMetadataConfig.builder()
              .serverUrl(URI.create("http://127.0.0.1:" + om.getAddress().getPort()))
              .jwtToken(OM_TOKEN)
              .build();
      TokenVerifier tokens =
          TokenVerifier.builder()
              .issuer("https://idp.example.com/realms/mesh")
              .audience("meshwork")
              .jwksFile(jwks)
              .build();
      MaskKey maskKey = MaskKey.of(MASK_KEY, "test");
      Path decisionLog = tmp.resolve("decisions.jsonl");
      Path lineage = tmp.resolve("lineage.jsonl");
      OpenLineageListener openLineage =
          OpenLineageListener.builder(Settings.empty())
              .file(lineage)
              .spoolDirectory(tmp.resolve("spool"))
              .build();
      IcebergStore store = IcebergStore.open(config);
      Mesh mesh =
          Mesh.builder()
              .store(store)
              .maskKey(maskKey)
              .policy(
                  new DecisionLog(
                      new GrantsPolicyEngine(
                          PolicySet.load(tmp.resolve("mesh/policies")),
                          tokens.directory(),
                          Clock.systemUTC()),
                      decisionLog,
                      Clock.systemUTC(),
                      "test"))
              .listener(openLineage)
              .listener(
                  CatalogListener.builder(new OpenMetadataPublisher(omConfig, Clock.systemUTC()))
                      .build())
              .build();
      Principal olga = tokens.principal("Bearer " + bearer);
      try (mesh) {
        try (Run run = mesh.start(DataProduct.load(tmp.resolve("mesh/crm.yaml")), olga)) {
          run.output("customers", Customer.class)
              .writeAll(
                  List.of(
                      new Customer(1, "Ann", "ann@example.com"),
                      new Customer(2, "Bob", "bob@example.com")));
          run.commit();
        }
        try (Run run =
            mesh.start(
                DataProduct.load(tmp.resolve("mesh/billing.yaml")),
                Principal.service("billing-etl"))) {
          List<Customer> seen;
          try (Stream<Customer> in = run.input("customers", Customer.class).read()) {
            seen = in.toList();
          }
          assertThat(seen).extracting(Customer::email).doesNotContain("ann@example.com");
          run.output("invoices", Invoice.class)
              .writeAll(seen.stream().map(c -> new Invoice(c.customerId(), c.email())).toList());
          run.commit();
        }
        assertThat(openLineage.flush(Duration.ofSeconds(10))).isTrue();

        // Failures whose messages could carry a secret.
        assertThatThrownBy(() -> tokens.principal(damaged))
            .satisfies(e -> texts.add(e.getMessage()));
        assertThatThrownBy(
                () ->
                    IcebergStore.open(
                        StoreConfig.builder()
                            .warehouse(warehouse)
                            .catalogUri("http://127.0.0.1:1")
                            .catalogToken(CATALOG_TOKEN)
                            .s3Endpoint(s3.endpoint())
                            .s3PathStyle()
                            .s3Credentials(S3_KEY, S3_SECRET)
                            .build()))
            .satisfies(e -> texts.add(messages(e)));
        StoreConfig wrongSecret =
            StoreConfig.builder()
                .warehouse("s3://" + BUCKET + "/other")
                .catalogUri("jdbc:sqlite:" + tmp.resolve("other.db"))
                .objectStoreIo(StoreConfig.ObjectStoreIo.S3FILEIO)
                .s3Endpoint(s3.endpoint())
                .s3PathStyle()
                .s3Credentials(S3_KEY, S3_SECRET + "-wrong")
                .build();
        texts.add(wrongSecret.toString());
        try (Mesh refused = Mesh.builder().store(IcebergStore.open(wrongSecret)).build();
            Run run = refused.start(DataProduct.load(tmp.resolve("mesh/crm.yaml")), olga)) {
          assertThatThrownBy(
                  () -> {
                    run.output("customers", Customer.class)
                        .write(new Customer(9, "Cy", "cy@example.com"));
                    run.commit();
                  })
              .satisfies(e -> texts.add(messages(e)));
        }

        for (Object o :
            List.of(config, omConfig, tokens, maskKey, store, mesh, openLineage, mesh.settings())) {
          texts.add(o.toString());
        }
        texts.add(store.describe());
        texts.add(mesh.describe());
        texts.addAll(tableTexts(store));
      }
    } finally {
      System.setErr(err);
      System.setOut(out);
      om.stop(0);
    }
    texts.add(logs.toString(StandardCharsets.UTF_8));
    texts.add(Files.readString(tmp.resolve("decisions.jsonl")));
    texts.add(Files.readString(tmp.resolve("lineage.jsonl")));
    texts.addAll(omRequests);

    assertThat(logs.toString(StandardCharsets.UTF_8))
        .as("the logs were captured")
        .contains("Run ")
        .contains("sales.crm.customers");
    assertThat(Files.readAllLines(tmp.resolve("lineage.jsonl"))).hasSize(4);
    assertThat(omRequests).isNotEmpty();
    for (String secret : secrets) {
      for (String text : texts) {
        assertThat(text).as("a text the mesh produced").doesNotContain(secret);
      }
    }
  }

  private static String messages(Throwable e) {
    StringBuilder b = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      b.append(t).append('\n');
    }
    return b.toString();
  }

  /** Every table's properties, snapshot summaries and metadata file, as text. */
  private static List<String> tableTexts(IcebergStore store) throws Exception {
    List<String> out = new ArrayList<>();
    SupportsNamespaces namespaces = (SupportsNamespaces) store.catalog();
    List<Namespace> all = new ArrayList<>(namespaces.listNamespaces(Namespace.empty()));
    for (int i = 0; i < all.size(); i++) {
      out.add(namespaces.loadNamespaceMetadata(all.get(i)).toString());
      all.addAll(namespaces.listNamespaces(all.get(i)));
    }
    int tables = 0;
    for (Namespace ns : all) {
      for (TableIdentifier id : store.catalog().listTables(ns)) {
        Table t = store.catalog().loadTable(id);
        tables++;
        out.add(t.properties().toString());
        for (Snapshot s : t.snapshots()) {
          out.add(s.summary().toString());
        }
        String metadata = ((HasTableOperations) t).operations().current().metadataFileLocation();
        try (var in = t.io().newInputFile(metadata).newStream()) {
          out.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
      }
    }
    assertThat(tables).as("tables inspected: customers and invoices").isGreaterThanOrEqualTo(2);
    return out;
  }
}
