package dev.meshwork.policy.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.core.model.SchemaProperty;
import dev.meshwork.spi.Action;
import dev.meshwork.spi.Decision;
import dev.meshwork.spi.PolicyRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The input document Meshwork sends to OPA, and how OPA's result becomes a {@link Decision}. Both
 * OPA engines (REST and Wasm) share them, so one Rego policy serves both.
 *
 * <p>Input: {@code {action, user, principal: {kind, name, groups}, product: {id, name, domain},
 * port, contract, purpose, time, timeNs, output: {contract: {id, version, status}, columns: [{name,
 * classification, tags, description}]}}}. {@code user} repeats the principal's name for policies
 * written against the common {@code input.user} convention; {@code timeNs} is {@code time} in
 * nanoseconds since the epoch, for policies compiled to Wasm, where OPA's time parsing is not built
 * in.
 *
 * <p>Result: {@code true}/{@code false}, or {@code {allow, reasons, masks: [{column, with, length,
 * scope}], rowFilter (CEL over row), terms}}; a mask's {@code column} may be a nested path ({@code
 * contact.email}, {@code contacts[].email}), its {@code scope} chooses the key its hashes are
 * derived for (default: {@code product:<reading product id>}). Anything else is a deny.
 */
public final class OpaDocuments {
  private OpaDocuments() {}

  /** The input document for a request. */
  public static Map<String, Object> input(PolicyRequest r, Instant now) {
    Map<String, Object> in = new LinkedHashMap<>();
    in.put("action", r.action().name());
    in.put("user", r.principal().name());
    Map<String, Object> principal = new LinkedHashMap<>();
    principal.put("kind", r.principal().kind().name().toLowerCase(Locale.ROOT));
    principal.put("name", r.principal().name());
    principal.put("groups", List.copyOf(r.principal().groups()));
    in.put("principal", principal);
    DataProduct p = r.product();
    Map<String, Object> product = new LinkedHashMap<>();
    product.put("id", p.id());
    product.put("name", p.displayName());
    product.put("domain", p.domain());
    in.put("product", product);
    in.put("port", r.port());
    in.put("contract", contractOf(r));
    in.put("purpose", r.purpose());
    Instant time = r.time() != null ? r.time() : now;
    in.put("time", time.toString());
    in.put("timeNs", epochNanos(time));
    if (r.output() != null) {
      Map<String, Object> out = new LinkedHashMap<>();
      Map<String, Object> contract = new LinkedHashMap<>();
      contract.put("id", r.output().contract().id());
      contract.put("version", r.output().contract().version());
      contract.put("status", r.output().contract().status());
      out.put("contract", contract);
      List<Map<String, Object>> columns = new ArrayList<>();
      for (SchemaProperty c : r.output().schemaObject().properties()) {
        Map<String, Object> col = new LinkedHashMap<>();
        col.put("name", c.name());
        col.put("classification", c.classification());
        col.put("tags", c.tags());
        col.put("description", c.description());
        columns.add(col);
      }
      out.put("columns", columns);
      in.put("output", out);
    }
    return in;
  }

  /**
   * Nanoseconds since the epoch, as OPA's {@code time.*_ns} functions count; times beyond what a
   * long holds (before 1677, after 2262) are held at its bounds.
   */
  public static long epochNanos(Instant t) {
    try {
      return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    } catch (ArithmeticException e) {
      return t.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  /** The contract id of the request's port, or null. */
  public static String contractOf(PolicyRequest r) {
    if (r.port() == null) {
      return null;
    }
    DataProduct p = r.product();
    if (r.action() == Action.READ) {
      try {
        // Names a version with name@version, or the port's highest version.
        return p.inputPort(r.port()).contractId();
      } catch (dev.meshwork.core.UnknownPortException e) {
        return null;
      }
    }
    try {
      // A port listed in several major versions is named by its stored name (payments_v2).
      return p.outputPortByKey(r.port()).contractId();
    } catch (dev.meshwork.core.UnknownPortException e) {
      return null;
    }
  }

  /**
   * The decision for OPA's {@code result} (null or missing when the rule is undefined); {@code
   * source} names the engine and rule in reasons; {@code defaultScope} keys hash masks that name no
   * scope.
   */
  public static Decision decision(JsonNode result, String source, String defaultScope) {
    if (result == null || result.isMissingNode() || result.isNull()) {
      return Decision.deny(
          source
              + " is undefined for this input (fail closed); give the rule a default, for example"
              + " 'default allow := false'");
    }
    if (result.isBoolean()) {
      return result.booleanValue()
          ? Decision.allow(source + " returned true")
          : Decision.deny(source + " returned false");
    }
    if (!result.isObject() || !result.path("allow").isBoolean()) {
      return Decision.deny(
          source
              + " returned "
              + abbreviate(result.toString())
              + " (fail closed); return true/false or an object with a boolean 'allow'");
    }
    List<String> reasons = new ArrayList<>();
    result.path("reasons").forEach(n -> reasons.add(source + ": " + n.asText()));
    boolean allow = result.get("allow").booleanValue();
    if (reasons.isEmpty()) {
      reasons.add(source + (allow ? " allows" : " denies"));
    }
    if (!allow) {
      return new Decision(false, reasons, List.of());
    }
    List<Decision.Obligation> obligations = new ArrayList<>();
    for (JsonNode m : result.path("masks")) {
      String column = m.path("column").asText(null);
      String with = m.path("with").asText("null").toUpperCase(Locale.ROOT);
      Decision.MaskKind kind;
      try {
        kind = Decision.MaskKind.valueOf(with);
      } catch (IllegalArgumentException e) {
        return Decision.deny(
            source + " asked for mask '" + with + "', which is not null, redact, hash or truncate");
      }
      if (column == null) {
        return Decision.deny(source + " returned a mask without a column: " + m);
      }
      obligations.add(
          new Decision.ColumnMask(
              column, kind, m.path("length").asInt(4), m.path("scope").asText(defaultScope)));
    }
    if (result.hasNonNull("rowFilter")) {
      String expr = result.get("rowFilter").asText();
      obligations.add(
          new Decision.RowFilter(expr, new CelRowFilter(expr), Cel.rowFilter(expr).orElse(null)));
    }
    result.path("terms").forEach(t -> obligations.add(new Decision.Term("term", t.asText())));
    return new Decision(true, reasons, obligations);
  }

  /** At most 200 characters, for messages. */
  public static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "…";
  }
}
