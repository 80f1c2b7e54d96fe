package dev.meshwork.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.AbsoluteIri;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A STAND-IN for OpenMetadata's REST API on 127.0.0.1 (the real server cannot run here). It checks
 * every request body against the API's JSON schema shipped in {@code openmetadata-spec}, records
 * the requests, and answers like the server: entities with ids and fully qualified names, 404 for
 * unknown tables and users.
 */
public final class OpenMetadataStandIn implements AutoCloseable {
  /** One request the stand-in received, with what its body breaks of the API's schema. */
  public record Request(
      String method,
      String path,
      JsonNode body,
      String authorization,
      List<String> schemaViolations) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> SCHEMAS =
      Map.ofEntries(
          Map.entry("/api/v1/services/databaseServices", "api/services/createDatabaseService.json"),
          Map.entry("/api/v1/databases", "api/data/createDatabase.json"),
          Map.entry("/api/v1/databaseSchemas", "api/data/createDatabaseSchema.json"),
          Map.entry("/api/v1/tables", "api/data/createTable.json"),
          Map.entry("/api/v1/domains", "api/domains/createDomain.json"),
          Map.entry("/api/v1/dataProducts", "api/domains/createDataProduct.json"),
          Map.entry("/api/v1/lineage", "api/lineage/addLineage.json"),
          Map.entry("/api/v1/classifications", "api/classification/createClassification.json"),
          Map.entry("/api/v1/tags", "api/classification/createTag.json"),
          Map.entry("/api/v1/dataQuality/testDefinitions", "api/tests/createTestDefinition.json"),
          Map.entry("/api/v1/dataQuality/testSuites/executable", "api/tests/createTestSuite.json"),
          Map.entry("/api/v1/dataQuality/testCases", "api/tests/createTestCase.json"));
  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(
          SpecVersion.VersionFlag.V7,
          b ->
              b.schemaMappers(
                  m ->
                      m.add(
                          iri ->
                              iri.toString().startsWith("https://open-metadata.org/schema/")
                                  ? AbsoluteIri.of(
                                      "classpath:json/schema/"
                                          + iri.toString()
                                              .substring(
                                                  "https://open-metadata.org/schema/".length()))
                                  : iri)));

  /** Every request received, in order. */
  public final List<Request> requests = new CopyOnWriteArrayList<>();
  final Map<String, ObjectNode> entities = new ConcurrentHashMap<>();
  final Map<String, String> users = new ConcurrentHashMap<>();
  final AtomicInteger failNext = new AtomicInteger();
  private final HttpServer server;

  /** Starts the stand-in on a free port of 127.0.0.1. */
  public OpenMetadataStandIn() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/v1/", this::handle);
    server.start();
  }

  /** The base URL to give the publisher. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The PUTs to {@code path}, in order. */
  public List<Request> puts(String path) {
    return requests.stream()
        .filter(r -> r.method().equals("PUT") && r.path().equals(path))
        .toList();
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getRawPath();
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    JsonNode json = body.isBlank() ? null : JSON.readTree(body);
    List<String> violations = List.of();
    String schema = SCHEMAS.get(path);
    if (schema == null && path.endsWith("/testCaseResult")) {
      schema = "tests/basic.json#/definitions/testCaseResult";
    }
    if (json != null && schema != null) {
      violations =
          FACTORY
              .getSchema(SchemaLocation.of("https://open-metadata.org/schema/" + schema))
              .validate(json)
              .stream()
              .map(Object::toString)
              .toList();
    }
    requests.add(
        new Request(
            ex.getRequestMethod(),
            path,
            json,
            ex.getRequestHeaders().getFirst("Authorization"),
            violations));
    if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      respond(ex, 500, "{\"code\":500,\"message\":\"stand-in failure\"}");
      return;
    }
    if (ex.getRequestMethod().equals("GET")) {
      String decoded = URLDecoder.decode(path, StandardCharsets.UTF_8);
      if (decoded.startsWith("/api/v1/tables/name/")) {
        ObjectNode t = entities.get("table:" + decoded.substring("/api/v1/tables/name/".length()));
        respond(ex, t == null ? 404 : 200, t == null ? "{\"code\":404}" : t.toString());
      } else if (decoded.startsWith("/api/v1/users/name/")) {
        String id = users.get(decoded.substring("/api/v1/users/name/".length()));
        respond(
            ex,
            id == null ? 404 : 200,
            id == null ? "{\"code\":404}" : "{\"id\":\"" + id + "\",\"name\":\"x\"}");
      } else {
        respond(ex, 404, "{\"code\":404}");
      }
      return;
    }
    ObjectNode entity = json == null ? JSON.createObjectNode() : ((ObjectNode) json).deepCopy();
    String fqn = fqn(path, json);
    String kind = path.endsWith("/tables") ? "table:" : path + ":";
    ObjectNode previous = entities.get(kind + fqn);
    entity.put(
        "id", previous != null ? previous.path("id").asText() : UUID.randomUUID().toString());
    entity.put("fullyQualifiedName", fqn);
    entities.put(kind + fqn, entity);
    respond(ex, 200, entity.toString());
  }

  private static String fqn(String path, JsonNode json) {
    if (json == null || !json.has("name")) {
      return "";
    }
    String name = json.path("name").asText();
    return switch (path) {
      case "/api/v1/databases" -> json.path("service").asText() + "." + name;
      case "/api/v1/databaseSchemas" -> json.path("database").asText() + "." + name;
      case "/api/v1/tables" -> json.path("databaseSchema").asText() + "." + name;
      case "/api/v1/tags" -> json.path("classification").asText() + "." + name;
      case "/api/v1/dataQuality/testCases" -> {
        String link = json.path("entityLink").asText();
        String[] parts = link.substring(2, link.length() - 1).split("::");
        yield parts[2] + (parts.length > 4 ? "." + parts[4] : "") + "." + name;
      }
      default -> name;
    };
  }

  private static void respond(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
