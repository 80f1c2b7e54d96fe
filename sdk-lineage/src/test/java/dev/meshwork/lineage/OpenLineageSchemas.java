package dev.meshwork.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.AbsoluteIri;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates events against the published OpenLineage JSON schemas (copies kept as test resources)
 * and every facet against the schema its {@code _schemaURL} names: OpenLineage's own, or Meshwork's
 * shipped in the module.
 */
final class OpenLineageSchemas {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(
          SpecVersion.VersionFlag.V202012,
          b -> b.schemaMappers(m -> m.add(OpenLineageSchemas::local)));
  private static final Map<String, JsonSchema> CACHE = new ConcurrentHashMap<>();

  private OpenLineageSchemas() {}

  private static AbsoluteIri local(AbsoluteIri iri) {
    String s = iri.toString();
    if (s.startsWith("https://openlineage.io/spec/facets/")) {
      return AbsoluteIri.of("classpath:openlineage/facets/" + s.substring(s.lastIndexOf('/') + 1));
    }
    if (s.startsWith("https://openlineage.io/spec/") && s.endsWith("/OpenLineage.json")) {
      return AbsoluteIri.of("classpath:openlineage/OpenLineage.json");
    }
    if (s.startsWith("https://meshwork.dev/spec/facets/")) {
      return AbsoluteIri.of(
          "classpath:dev/meshwork/lineage/facets/" + s.substring(s.lastIndexOf('/') + 1));
    }
    return iri;
  }

  /** Every schema violation of an event and of each of its facets (empty when valid). */
  static List<String> violations(String eventJson) throws Exception {
    JsonNode event = JSON.readTree(eventJson);
    List<String> out = new ArrayList<>();
    schema("https://openlineage.io/spec/2-0-2/OpenLineage.json")
        .validate(event)
        .forEach(m -> out.add("event: " + m.getMessage()));
    facets(event.path("run").path("facets"), "run", out);
    facets(event.path("job").path("facets"), "job", out);
    for (String side : List.of("inputs", "outputs")) {
      for (JsonNode ds : event.path(side)) {
        facets(ds.path("facets"), side + " " + ds.path("name").asText(), out);
        facets(ds.path("inputFacets"), side + " " + ds.path("name").asText(), out);
        facets(ds.path("outputFacets"), side + " " + ds.path("name").asText(), out);
      }
    }
    return out;
  }

  private static void facets(JsonNode facets, String where, List<String> out) {
    Iterator<Map.Entry<String, JsonNode>> it = facets.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> f = it.next();
      String url = f.getValue().path("_schemaURL").asText();
      if (url.isEmpty()) {
        out.add(where + " facet " + f.getKey() + " has no _schemaURL");
        continue;
      }
      ObjectNode wrapper = JSON.createObjectNode();
      wrapper.set(f.getKey(), f.getValue());
      Set<ValidationMessage> errors = schema(url.split("#")[0]).validate(wrapper);
      errors.forEach(m -> out.add(where + " facet " + f.getKey() + ": " + m.getMessage()));
    }
  }

  private static JsonSchema schema(String url) {
    return CACHE.computeIfAbsent(url, u -> FACTORY.getSchema(SchemaLocation.of(u)));
  }
}
