package dev.meshwork.lineage;

import dev.meshwork.core.Settings;
import dev.meshwork.spi.RunEvent;
import dev.meshwork.spi.RunListener;
import dev.meshwork.spi.RunListenerProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the product pages ({@link StaticSitePublisher}) in {@code <warehouse>/site} a default
 * listener of a zero-configuration mesh, as the lineage file is: every completed run updates them.
 * Setting {@value #ENABLED} to {@code false} turns them off.
 */
public final class StaticSiteProvider implements RunListenerProvider {
  /** The setting that turns the pages off ({@code MESHWORK_SITE_ENABLED=false}). */
  public static final String ENABLED = "meshwork.site.enabled";

  private static final Logger LOG = LoggerFactory.getLogger(StaticSiteProvider.class);

  @Override
  public RunListener defaultListener(Settings settings) {
    if (!Boolean.parseBoolean(settings.get(ENABLED).orElse("true"))) {
      return new RunListener() {
        @Override
        public void onEvent(RunEvent event) {}

        @Override
        public String toString() {
          return "product pages off (" + ENABLED + "=false)";
        }
      };
    }
    StaticSitePublisher site = StaticSitePublisher.at(settings.localFolder().resolve("site"));
    return new RunListener() {
      @Override
      public void onEvent(RunEvent event) {
        if (event.type() != RunEvent.Type.COMPLETE) {
          return;
        }
        try {
          site.publish(event);
        } catch (RuntimeException e) {
          // The pages describe what was published; they never fail a publish.
          LOG.warn(
              "Run {}: the product pages in {} were not updated: {}",
              event.runId(),
              site.dir(),
              e.getMessage());
        }
      }

      @Override
      public String toString() {
        return site.describe();
      }
    };
  }
}
