package dev.meshwork.lineage;

import dev.meshwork.lineage.internal.site.SiteCards;
import dev.meshwork.lineage.internal.site.SiteRenderer;
import dev.meshwork.spi.RunEvent;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Publishes completed runs to a static catalogue site, a folder of HTML pages with no server: an
 * index of domains and products (search, filter by domain, tag and owner) and per product a card
 * with its description, owners, ports (table, version, how to read it from Spark, Trino, PyIceberg
 * and Meshwork), the contract's columns, the latest quality results and a chart of each port's row
 * count over its history, and the products upstream and downstream drawn as a graph.
 *
 * <p>Each publish updates the product's card ({@code data/<product>.json}) and renders every page
 * again from all cards, so the site shows every product that ever published to the warehouse.
 * Charts and graph are inline SVG; the pages work offline and print.
 */
public final class StaticSitePublisher implements CatalogPublisher {
  private final Path dir;
  private final Clock clock;
  private final Function<String, List<SiteReader>> readers;

  private StaticSitePublisher(Path dir, Clock clock, Function<String, List<SiteReader>> readers) {
    this.dir = Objects.requireNonNull(dir, "dir");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.readers = readers;
  }

  /** A site in {@code dir} (created when missing). */
  public static StaticSitePublisher at(Path dir) {
    return new StaticSitePublisher(dir, Clock.systemUTC(), null);
  }

  /** A site in {@code dir} whose pages say they were made at {@code clock}'s time. */
  public static StaticSitePublisher at(Path dir, Clock clock) {
    return new StaticSitePublisher(dir, clock, null);
  }

  /**
   * This site, with each port's "Who may read" from {@code byContract} (the readers of a contract
   * id, e.g. from a policy set): set on the product cards at each publish and rebuild, and kept
   * there for rebuilds without it.
   */
  public StaticSitePublisher readers(Function<String, List<SiteReader>> byContract) {
    return new StaticSitePublisher(dir, clock, Objects.requireNonNull(byContract, "byContract"));
  }

  @Override
  public synchronized void publish(RunEvent completed) {
    if (completed.type() != RunEvent.Type.COMPLETE) {
      return;
    }
    try {
      SiteCards.update(dir, completed);
      rebuild();
    } catch (RuntimeException e) {
      throw new CatalogPublishException(
          "Cannot update the product pages in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Renders every page from the product cards kept in the site; returns the products shown. */
  public synchronized int rebuild() {
    if (readers != null) {
      SiteCards.setReaders(dir, contract -> readerMaps(readers.apply(contract)));
    }
    return SiteRenderer.render(dir, SiteCards.read(dir), clock.instant());
  }

  private static List<java.util.Map<String, Object>> readerMaps(List<SiteReader> readers) {
    List<java.util.Map<String, Object>> out = new java.util.ArrayList<>();
    for (SiteReader r : readers) {
      java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("who", r.who());
      m.put("purposes", r.purposes());
      m.put("conditions", r.conditions());
      m.put("valid", r.valid());
      m.put("source", r.source());
      out.add(m);
    }
    return out;
  }

  /** The site's folder; its {@code index.html} is the catalogue's front page. */
  public Path dir() {
    return dir;
  }

  @Override
  public String describe() {
    return "product pages in " + dir;
  }
}
