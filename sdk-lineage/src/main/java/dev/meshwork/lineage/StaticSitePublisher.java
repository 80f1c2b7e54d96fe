package dev.meshwork.lineage;

import dev.meshwork.lineage.internal.site.SiteCards;
import dev.meshwork.lineage.internal.site.SiteRenderer;
import dev.meshwork.spi.RunEvent;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

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

  private StaticSitePublisher(Path dir, Clock clock) {
    this.dir = Objects.requireNonNull(dir, "dir");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A site in {@code dir} (created when missing). */
  public static StaticSitePublisher at(Path dir) {
    return new StaticSitePublisher(dir, Clock.systemUTC());
  }

  /** A site in {@code dir} whose pages say they were made at {@code clock}'s time. */
  public static StaticSitePublisher at(Path dir, Clock clock) {
    return new StaticSitePublisher(dir, clock);
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
    return SiteRenderer.render(dir, SiteCards.read(dir), clock.instant());
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
