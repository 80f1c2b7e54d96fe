package dev.meshwork.lineage.internal.site;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.core.model.SchemaProperty;
import dev.meshwork.spi.GateVerdict;
import dev.meshwork.spi.RunEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The product cards of a site ({@code data/<domain>.<product>.json}): what the pages show of each
 * product, kept between runs and processes. A run's COMPLETE event updates its product's card: the
 * description, owners and tags as loaded, per port the contract's columns, the latest publish with
 * its quality results, and the port's history (one entry per publish, the latest 500).
 */
public final class SiteCards {
  static final int HISTORY = 500;
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private SiteCards() {}

  private static final Object IN_THIS_PROCESS = new Object();

  /** Updates the card of the event's product. */
  public static void update(Path site, RunEvent e) {
    locked(site, () -> updateHeld(site, e));
  }

  /**
   * Runs {@code body} holding the cards' lock ({@code .lock} in the site), so that processes (and
   * threads) updating cards at once do not lose each other's updates; a card is read, changed and
   * written back under it.
   */
  private static void locked(Path site, Runnable body) {
    synchronized (IN_THIS_PROCESS) {
      Path lock = site.resolve(".lock");
      try {
        Files.createDirectories(lock.getParent());
        try (java.nio.channels.FileChannel channel =
                java.nio.channels.FileChannel.open(
                    lock,
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.WRITE);
            java.nio.channels.FileLock held = channel.lock()) {
          body.run();
          held.release();
        }
      } catch (IOException ex) {
        throw new UncheckedIOException("Cannot lock the product cards in " + lock.getParent(), ex);
      }
    }
  }

  private static void updateHeld(Path site, RunEvent e) {
    DataProduct p = e.product();
    String key = p.domain() + "." + p.displayName();
    Path file = site.resolve("data").resolve(safe(key) + ".json");
    Map<String, Object> card = card(file);
    card.put("key", key);
    card.put("id", p.id());
    card.put("name", p.displayName());
    card.put("domain", p.domain());
    card.put("version", p.version());
    card.put("status", p.status());
    card.put("purpose", p.description() == null ? null : p.description().purpose());
    card.put("usage", p.description() == null ? null : p.description().usage());
    card.put("limitations", p.description() == null ? null : p.description().limitations());
    card.put("tags", p.tags());
    List<String> owners = new ArrayList<>();
    if (p.team() != null) {
      p.team().members().stream()
          .filter(m -> m.role() == null || m.role().equalsIgnoreCase("owner"))
          .forEach(m -> owners.add(m.username() != null ? m.username() : m.name()));
    }
    card.put("owners", owners);
    card.put("updated", e.time().toString());
    List<Map<String, Object>> inputs = new ArrayList<>();
    for (RunEvent.InputInfo in : e.inputs()) {
      Map<String, Object> i = new LinkedHashMap<>();
      i.put("port", in.port());
      i.put("table", in.table() == null ? null : in.table().identifier());
      i.put("contract", in.contract() == null ? null : in.contract().id());
      i.put("version", in.version());
      inputs.add(i);
    }
    card.put("inputs", inputs);
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> ports =
        (Map<String, Map<String, Object>>)
            card.computeIfAbsent("ports", k -> new LinkedHashMap<>());
    for (RunEvent.OutputInfo out : e.outputs()) {
      if (out.version() == null) {
        continue;
      }
      Map<String, Object> port = ports.computeIfAbsent(out.port(), k -> new LinkedHashMap<>());
      port.put("name", out.port());
      port.put("table", out.table().identifier());
      port.put("location", out.table().location());
      port.put("contractId", out.contract() == null ? null : out.contract().id());
      port.put("contractVersion", out.contract() == null ? null : out.contract().version());
      port.put("description", out.schemaObject() == null ? null : out.schemaObject().description());
      port.put(
          "columns",
          out.schemaObject() == null ? List.of() : columns(out.schemaObject().properties()));
      port.put("sla", out.contract() == null ? List.of() : sla(out.contract().slaProperties()));
      Map<String, Object> latest = new LinkedHashMap<>();
      latest.put("runId", e.runId());
      latest.put("time", e.time().toString());
      latest.put("version", out.version());
      latest.put("rows", out.rows());
      latest.put("bytes", out.bytes());
      latest.put("mode", out.mode() == null ? "append" : out.mode().toString());
      latest.put("removedRows", out.removedRows());
      latest.put("quality", quality(out.verdict()));
      port.put("latest", latest);
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> history =
          (List<Map<String, Object>>) port.computeIfAbsent("history", k -> new ArrayList<>());
      Map<String, Object> h = new LinkedHashMap<>();
      h.put("time", e.time().toString());
      h.put("runId", e.runId());
      h.put("version", out.version());
      h.put("rows", out.rows());
      h.put("removedRows", out.removedRows());
      h.put(
          "failed",
          out.verdict() == null
              ? 0
              : out.verdict().assertions().stream().filter(a -> !a.success()).count());
      h.put("checks", out.verdict() == null ? 0 : out.verdict().assertions().size());
      h.put("contractVersion", out.contract() == null ? null : out.contract().version());
      h.put("metrics", metrics(out.verdict()));
      history.removeIf(x -> e.runId().equals(x.get("runId")));
      history.add(h);
      while (history.size() > HISTORY) {
        history.remove(0);
      }
    }
    write(file, card);
  }

  /** Sets every port's readers from its contract id, on every card of the site. */
  public static void setReaders(
      Path site, java.util.function.Function<String, List<Map<String, Object>>> byContract) {
    Path data = site.resolve("data");
    if (!Files.isDirectory(data)) {
      return;
    }
    locked(
        site,
        () -> {
          try (Stream<Path> files = Files.list(data)) {
            for (Path f : files.filter(x -> x.toString().endsWith(".json")).sorted().toList()) {
              Map<String, Object> card = card(f);
              boolean changed = false;
              for (Map<String, Object> port : SiteRenderer.ports(card)) {
                Object contract = port.get("contractId");
                Object readers =
                    contract == null ? List.of() : byContract.apply(contract.toString());
                changed |= !readers.equals(port.put("readers", readers));
              }
              if (changed) {
                write(f, card);
              }
            }
          } catch (IOException ex) {
            throw new UncheckedIOException("Cannot list " + data, ex);
          }
        });
  }

  /** Every card of the site, by key. */
  public static List<Map<String, Object>> read(Path site) {
    Path data = site.resolve("data");
    List<Map<String, Object>> out = new ArrayList<>();
    if (!Files.isDirectory(data)) {
      return out;
    }
    try (Stream<Path> files = Files.list(data)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        out.add(card(f));
      }
    } catch (IOException ex) {
      throw new UncheckedIOException("Cannot list " + data, ex);
    }
    return out;
  }

  private static List<Map<String, Object>> columns(List<SchemaProperty> props) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (SchemaProperty p : props) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("name", p.name());
      c.put(
          "type",
          (p.logicalType() == null ? "" : p.logicalType().descriptorName())
              + (p.physicalType() == null ? "" : " (" + p.physicalType() + ")"));
      c.put("required", p.required());
      c.put("primaryKey", p.primaryKey());
      c.put("classification", p.classification());
      c.put("description", p.description());
      out.add(c);
    }
    return out;
  }

  private static List<Map<String, Object>> sla(List<dev.meshwork.core.model.SlaProperty> props) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (var p : props) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("property", p.property());
      s.put("value", p.value());
      s.put("unit", p.unit());
      s.put("element", p.element());
      s.put("description", p.description());
      out.add(s);
    }
    return out;
  }

  /** The numbers each rule observed in a publish, by rule: the points of the metric charts. */
  private static Map<String, Object> metrics(GateVerdict v) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (v == null) {
      return out;
    }
    for (GateVerdict.AssertionResult a : v.assertions()) {
      try {
        out.put(a.assertion(), Double.parseDouble(String.valueOf(a.observed())));
      } catch (NumberFormatException e) {
        // A rule that observed no number (a schema check, say) has no chart.
      }
    }
    return out;
  }

  private static List<Map<String, Object>> quality(GateVerdict v) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    for (GateVerdict.AssertionResult a : v.assertions()) {
      Map<String, Object> q = new LinkedHashMap<>();
      q.put("rule", a.assertion());
      q.put("column", a.column());
      q.put("success", a.success());
      q.put("severity", a.severity());
      q.put("observed", a.observed());
      q.put("expected", a.expected());
      out.add(q);
    }
    return out;
  }

  private static Map<String, Object> card(Path file) {
    if (!Files.exists(file)) {
      return new LinkedHashMap<>();
    }
    try {
      return JSON.readValue(file.toFile(), new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (IOException ex) {
      throw new UncheckedIOException("Cannot read product card " + file, ex);
    }
  }

  private static void write(Path file, Map<String, Object> card) {
    try {
      replace(file, JSON.writeValueAsString(card));
    } catch (IOException ex) {
      throw new UncheckedIOException("Cannot write product card " + file, ex);
    }
  }

  /**
   * Writes {@code text} aside and moves it over {@code file}, so that a reader (or a crash) never
   * sees half a file; the aside file's name is this write's own, as another process may write the
   * same file at once (the last move wins).
   */
  static void replace(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + "." + java.util.UUID.randomUUID() + ".tmp");
    try {
      Files.writeString(tmp, text);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** A file name for a key: letters, digits, '.', '-' and '_' kept, anything else '_'. */
  static String safe(String key) {
    return key.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
