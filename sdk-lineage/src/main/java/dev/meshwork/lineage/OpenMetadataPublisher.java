package dev.meshwork.lineage;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.core.model.SchemaObject;
import dev.meshwork.core.model.SchemaProperty;
import dev.meshwork.core.model.TeamMember;
import dev.meshwork.core.schema.DataType;
import dev.meshwork.core.schema.DecimalType;
import dev.meshwork.core.schema.Field;
import dev.meshwork.core.schema.ListType;
import dev.meshwork.core.schema.MapType;
import dev.meshwork.core.schema.PrimitiveType;
import dev.meshwork.core.schema.StructType;
import dev.meshwork.spi.GateVerdict;
import dev.meshwork.spi.RunEvent;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.openmetadata.schema.api.classification.CreateClassification;
import org.openmetadata.schema.api.classification.CreateTag;
import org.openmetadata.schema.api.data.CreateDatabase;
import org.openmetadata.schema.api.data.CreateDatabaseSchema;
import org.openmetadata.schema.api.data.CreateTable;
import org.openmetadata.schema.api.domains.CreateDataProduct;
import org.openmetadata.schema.api.domains.CreateDomain;
import org.openmetadata.schema.api.lineage.AddLineage;
import org.openmetadata.schema.api.services.CreateDatabaseService;
import org.openmetadata.schema.api.tests.CreateTestCase;
import org.openmetadata.schema.api.tests.CreateTestDefinition;
import org.openmetadata.schema.api.tests.CreateTestSuite;
import org.openmetadata.schema.tests.TestPlatform;
import org.openmetadata.schema.tests.type.TestCaseResult;
import org.openmetadata.schema.tests.type.TestCaseStatus;
import org.openmetadata.schema.type.Column;
import org.openmetadata.schema.type.ColumnDataType;
import org.openmetadata.schema.type.ColumnLineage;
import org.openmetadata.schema.type.EntitiesEdge;
import org.openmetadata.schema.type.EntityReference;
import org.openmetadata.schema.type.LineageDetails;
import org.openmetadata.schema.type.TagLabel;
import org.openmetadata.schema.type.TestDefinitionEntityType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes completed runs to OpenMetadata's REST API with the {@code openmetadata-spec} models
 * over the JDK {@link HttpClient}. Every call is a PUT (create-or-update), so publishing is
 * idempotent.
 *
 * <p>Layout: database service {@code <serviceName>} (type Iceberg) → database {@code <domain>} →
 * schema {@code <product>} → one table per output port; the domain (source- or consumer-aligned)
 * and the data product with its tables as assets; ODCS classifications as tags of classification
 * {@code ODCS}; lineage edges from every input table to every output table, with column lineage
 * from the contract's {@code transformSourceObjects}; quality assertions as test cases with
 * results.
 */
public final class OpenMetadataPublisher implements CatalogPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(OpenMetadataPublisher.class);
  static final String CLASSIFICATION = "ODCS";
  static final String TABLE_TEST = "meshworkTableAssertion";
  static final String COLUMN_TEST = "meshworkColumnAssertion";

  private final OpenMetadataConfig config;
  private final HttpClient http;
  private final ObjectMapper json;
  private final Clock clock;
  private final Map<String, Optional<UUID>> users = new HashMap<>();

  /** A publisher for one server. */
  public OpenMetadataPublisher(OpenMetadataConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(config.timeout()).build();
    this.json =
        new ObjectMapper()
            .setDefaultPropertyInclusion(
                JsonInclude.Value.construct(
                    JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
  }

  @Override
  public String describe() {
    return "OpenMetadata at " + config.serverUrl() + " (service " + config.serviceName() + ")";
  }

  @Override
  public synchronized void publish(RunEvent e) {
    if (e.type() != RunEvent.Type.COMPLETE) {
      return;
    }
    DataProduct p = e.product();
    String service = config.serviceName();
    String domain = clean(p.domain() == null ? "default" : p.domain());
    String product = clean(p.displayName());
    put(
        "/services/databaseServices",
        new CreateDatabaseService()
            .withName(service)
            .withServiceType(CreateDatabaseService.DatabaseServiceType.Iceberg)
            .withDescription("Tables published by Meshwork data products"));
    put("/databases", new CreateDatabase().withName(domain).withService(service));
    put(
        "/databaseSchemas",
        new CreateDatabaseSchema()
            .withName(product)
            .withDatabase(service + "." + domain)
            .withDescription(p.description() == null ? null : p.description().purpose()));
    EntityReference owner = owner(p).orElse(null);

    List<EntityReference> assets = new ArrayList<>();
    Map<String, JsonNode> outputTables = new LinkedHashMap<>();
    for (RunEvent.OutputInfo out : e.outputs()) {
      if (out.version() == null || out.schema() == null) {
        continue;
      }
      String schemaFqn = service + "." + domain + "." + product;
      JsonNode table =
          put(
              "/tables",
              new CreateTable()
                  .withName(tableName(out.table().identifier()))
                  .withDatabaseSchema(schemaFqn)
                  .withDescription(
                      out.contract() != null && out.contract().description() != null
                          ? out.contract().description().purpose()
                          : null)
                  .withColumns(
                      columns(
                          out.schema().fields(),
                          out.schemaObject() == null ? List.of() : out.schemaObject().properties()))
                  .withOwner(owner));
      outputTables.put(out.port(), table);
      assets.add(
          new EntityReference()
              .withId(UUID.fromString(table.path("id").asText()))
              .withType("table"));
      tests(table.path("fullyQualifiedName").asText(), out.verdict());
    }

    put(
        "/domains",
        new CreateDomain()
            .withName(domain)
            .withDomainType(
                e.inputs().isEmpty()
                    ? CreateDomain.DomainType.SOURCE_ALIGNED
                    : CreateDomain.DomainType.CONSUMER_ALIGNED)
            .withDescription(
                "Domain " + (p.domain() == null ? "default" : p.domain()) + " of the data mesh"));
    put(
        "/dataProducts",
        new CreateDataProduct()
            .withName(product)
            .withDomain(domain)
            .withDescription(
                p.description() != null && p.description().purpose() != null
                    ? p.description().purpose()
                    : "Data product " + p.displayName())
            .withAssets(assets)
            .withOwner(owner));

    for (RunEvent.InputInfo in : e.inputs()) {
      Optional<JsonNode> upstream =
          get("/tables/name/" + encode(service + "." + in.table().identifier()));
      if (upstream.isEmpty()) {
        LOG.warn(
            "OpenMetadata has no table {} yet; lineage from it is skipped until its producer publishes",
            in.table().identifier());
        continue;
      }
      for (RunEvent.OutputInfo out : e.outputs()) {
        JsonNode down = outputTables.get(out.port());
        if (down == null) {
          continue;
        }
        put(
            "/lineage",
            new AddLineage()
                .withEdge(
                    new EntitiesEdge()
                        .withFromEntity(reference(upstream.get()))
                        .withToEntity(reference(down))
                        .withLineageDetails(
                            new LineageDetails()
                                .withDescription("Meshwork run " + e.runId())
                                .withColumnsLineage(
                                    columnLineage(
                                        in.port(), upstream.get(), out.schemaObject(), down)))));
      }
    }
  }

  private static EntityReference reference(JsonNode entity) {
    return new EntityReference()
        .withId(UUID.fromString(entity.path("id").asText()))
        .withType("table");
  }

  private static List<ColumnLineage> columnLineage(
      String port, JsonNode from, SchemaObject object, JsonNode to) {
    List<ColumnLineage> out = new ArrayList<>();
    if (object == null) {
      return out;
    }
    String fromFqn = from.path("fullyQualifiedName").asText();
    String toFqn = to.path("fullyQualifiedName").asText();
    for (SchemaProperty prop : object.properties()) {
      List<String> sources =
          prop.transformSourceObjects().stream()
              .filter(s -> s.startsWith(port + "."))
              .map(s -> fromFqn + "." + s.substring(port.length() + 1))
              .toList();
      if (!sources.isEmpty()) {
        out.add(
            new ColumnLineage()
                .withFromColumns(sources)
                .withToColumn(toFqn + "." + prop.name())
                .withFunction(prop.transformDescription()));
      }
    }
    return out;
  }

  private void tests(String tableFqn, GateVerdict verdict) {
    if (verdict == null || verdict.assertions().isEmpty()) {
      return;
    }
    put(
        "/dataQuality/testDefinitions",
        new CreateTestDefinition()
            .withName(TABLE_TEST)
            .withDescription("A Meshwork quality rule on a table")
            .withEntityType(TestDefinitionEntityType.TABLE)
            .withTestPlatforms(List.of(TestPlatform.OTHER)));
    put(
        "/dataQuality/testDefinitions",
        new CreateTestDefinition()
            .withName(COLUMN_TEST)
            .withDescription("A Meshwork quality rule on a column")
            .withEntityType(TestDefinitionEntityType.COLUMN)
            .withTestPlatforms(List.of(TestPlatform.OTHER)));
    String suite = tableFqn + ".testSuite";
    put(
        "/dataQuality/testSuites/executable",
        new CreateTestSuite().withName(suite).withExecutableEntityReference(tableFqn));
    for (GateVerdict.AssertionResult a : verdict.assertions()) {
      String name = clean(a.assertion() + (a.column() == null ? "" : "_" + a.column()));
      JsonNode testCase =
          put(
              "/dataQuality/testCases",
              new CreateTestCase()
                  .withName(name)
                  .withTestDefinition(a.column() == null ? TABLE_TEST : COLUMN_TEST)
                  .withEntityLink(
                      "<#E::table::"
                          + tableFqn
                          + (a.column() == null ? "" : "::columns::" + a.column())
                          + ">")
                  .withTestSuite(suite)
                  .withDescription(a.assertion() + " (" + a.severity() + ")"));
      put(
          "/dataQuality/testCases/"
              + encode(testCase.path("fullyQualifiedName").asText())
              + "/testCaseResult",
          new TestCaseResult()
              .withTimestamp(clock.millis())
              .withTestCaseStatus(a.success() ? TestCaseStatus.Success : TestCaseStatus.Failed)
              .withResult("observed " + a.observed() + ", expected " + a.expected()));
    }
  }

  private List<Column> columns(List<Field> fields, List<SchemaProperty> props) {
    List<Column> out = new ArrayList<>();
    for (Field f : fields) {
      SchemaProperty prop =
          props.stream().filter(p -> f.name().equals(p.name())).findFirst().orElse(null);
      Column c =
          new Column()
              .withName(f.name())
              .withDescription(f.description())
              .withDataTypeDisplay(f.type().display());
      DataType t = f.type();
      c.withDataType(dataType(t));
      if (t instanceof DecimalType d) {
        c.withPrecision(d.precision()).withScale(d.scale());
      } else if (t instanceof StructType s) {
        c.withChildren(columns(s.fields(), prop == null ? List.of() : prop.properties()));
      } else if (t instanceof ListType l) {
        c.withArrayDataType(dataType(l.element()));
      }
      if (prop != null && prop.classification() != null) {
        String tag = clean(prop.classification());
        put(
            "/classifications",
            new CreateClassification()
                .withName(CLASSIFICATION)
                .withDescription("Data classification from ODCS contracts"));
        put(
            "/tags",
            new CreateTag()
                .withName(tag)
                .withClassification(CLASSIFICATION)
                .withDescription("ODCS classification '" + prop.classification() + "'"));
        c.withTags(
            List.of(
                new TagLabel()
                    .withTagFQN(CLASSIFICATION + "." + tag)
                    .withSource(TagLabel.TagSource.CLASSIFICATION)
                    .withLabelType(TagLabel.LabelType.MANUAL)
                    .withState(TagLabel.State.CONFIRMED)));
      }
      out.add(c);
    }
    return out;
  }

  private static ColumnDataType dataType(DataType t) {
    if (t instanceof DecimalType) {
      return ColumnDataType.DECIMAL;
    }
    if (t instanceof StructType) {
      return ColumnDataType.STRUCT;
    }
    if (t instanceof ListType) {
      return ColumnDataType.ARRAY;
    }
    if (t instanceof MapType) {
      return ColumnDataType.MAP;
    }
    return switch ((PrimitiveType) t) {
      case BOOLEAN -> ColumnDataType.BOOLEAN;
      case INT -> ColumnDataType.INT;
      case LONG -> ColumnDataType.BIGINT;
      case FLOAT -> ColumnDataType.FLOAT;
      case DOUBLE -> ColumnDataType.DOUBLE;
      case STRING -> ColumnDataType.STRING;
      case BINARY -> ColumnDataType.BINARY;
      case UUID -> ColumnDataType.UUID;
      case DATE -> ColumnDataType.DATE;
      case TIME -> ColumnDataType.TIME;
      case TIMESTAMP -> ColumnDataType.TIMESTAMP;
      case TIMESTAMP_TZ -> ColumnDataType.TIMESTAMPZ;
    };
  }

  private Optional<EntityReference> owner(DataProduct p) {
    if (p.team() == null) {
      return Optional.empty();
    }
    for (TeamMember m : p.team().members()) {
      if (m.username() == null || !"owner".equalsIgnoreCase(m.role())) {
        continue;
      }
      String name =
          m.username().contains("@")
              ? m.username().substring(0, m.username().indexOf('@'))
              : m.username();
      Optional<UUID> id =
          users.computeIfAbsent(
              name,
              n ->
                  get("/users/name/" + encode(n)).map(u -> UUID.fromString(u.path("id").asText())));
      if (id.isPresent()) {
        return Optional.of(new EntityReference().withId(id.get()).withType("user"));
      }
      LOG.info("OpenMetadata has no user '{}'; the owner of {} stays unset", name, p.displayName());
    }
    return Optional.empty();
  }

  private JsonNode put(String path, Object body) {
    String payload;
    try {
      payload = json.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new CatalogPublishException(
          "Cannot serialize the request to PUT " + path + ": " + e.getMessage(), e);
    }
    HttpRequest request = request(path).PUT(HttpRequest.BodyPublishers.ofString(payload)).build();
    HttpResponse<String> response = send(request, "PUT " + path);
    if (response.statusCode() / 100 != 2) {
      throw new CatalogPublishException(
          "OpenMetadata refused PUT /api/v1"
              + path
              + " with HTTP "
              + response.statusCode()
              + ": "
              + excerpt(response.body()));
    }
    return parse(response.body(), "PUT " + path);
  }

  private Optional<JsonNode> get(String path) {
    HttpResponse<String> response = send(request(path).GET().build(), "GET " + path);
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    if (response.statusCode() / 100 != 2) {
      throw new CatalogPublishException(
          "OpenMetadata refused GET /api/v1"
              + path
              + " with HTTP "
              + response.statusCode()
              + ": "
              + excerpt(response.body()));
    }
    return Optional.of(parse(response.body(), "GET " + path));
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                URI.create(config.serverUrl().toString().replaceAll("/+$", "") + "/api/v1" + path))
            .timeout(config.timeout())
            .header("Content-Type", "application/json")
            .header("Accept", "application/json");
    if (config.jwtToken() != null) {
      b.header("Authorization", "Bearer " + config.jwtToken());
    }
    return b;
  }

  private HttpResponse<String> send(HttpRequest request, String what) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new CatalogPublishException(
          "Cannot reach OpenMetadata at "
              + config.serverUrl()
              + " for "
              + what
              + ": "
              + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CatalogPublishException("Interrupted during " + what, e);
    }
  }

  private JsonNode parse(String body, String what) {
    try {
      return body == null || body.isBlank() ? json.createObjectNode() : json.readTree(body);
    } catch (JsonProcessingException e) {
      throw new CatalogPublishException(
          "OpenMetadata answered " + what + " with invalid JSON: " + excerpt(body), e);
    }
  }

  private static String excerpt(String body) {
    return body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "…" : body;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String tableName(String identifier) {
    return identifier.substring(identifier.lastIndexOf('.') + 1);
  }

  static String clean(String name) {
    String s = name.trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "_");
    s = s.replaceAll("^_+|_+$", "");
    return s.isEmpty() ? "_" : s;
  }
}
