package dev.meshwork.samples;

import dev.meshwork.core.InputPort;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.OutputPort;
import dev.meshwork.core.Principal;
import dev.meshwork.core.Run;
import dev.meshwork.core.RunOptions;
import dev.meshwork.core.RunResult;
import dev.meshwork.core.WriteMode;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.samples.DeliveryPerformance.BatterySample;
import dev.meshwork.samples.DeliveryPerformance.DeliveryFacts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Runs the demo mesh for one day's batch: {@code deliveries} and {@code drone-telemetry} publish
 * the day's synthetic data, then {@code delivery-performance} reads both and publishes daily
 * per-region statistics.
 *
 * <p>Each run id is derived from the product and the batch day, so running the same batch again is
 * idempotent: every product finds its earlier snapshot and appends nothing. A new batch day
 * appends.
 */
public final class Demo {
  static final long SEED = 20_261_122L;

  /** What to run: descriptor folder, batch day and row counts of the two sources. */
  public record Config(Path meshDir, LocalDate batch, int deliveries, int telemetry) {
    /** Validates the counts. */
    public Config {
      Objects.requireNonNull(meshDir, "meshDir");
      Objects.requireNonNull(batch, "batch");
      if (deliveries < 1 || telemetry < 1) {
        throw new IllegalArgumentException(
            "row counts must be at least 1, but were deliveries="
                + deliveries
                + ", telemetry="
                + telemetry);
      }
    }

    /** The demo's default: the bundled descriptors, 600,000 rows per source product. */
    public static Config defaults(LocalDate batch) {
      return new Config(MeshFiles.locate(), batch, 600_000, 600_000);
    }
  }

  /** One product's run, as the summary shows it, with notes such as how policy shaped a read. */
  public record ProductRun(String product, RunResult result, long millis, List<String> notes) {
    /** Copies the notes. */
    public ProductRun {
      notes = List.copyOf(notes);
    }
  }

  /** The pipeline identity of the deliveries product. */
  public static final Principal DISPATCH = Principal.service("dispatch-etl");

  /** The pipeline identity of the drone-telemetry product. */
  public static final Principal FLEET = Principal.service("fleet-etl");

  /** The pipeline identity of the delivery-performance product. */
  public static final Principal INSIGHTS = Principal.service("insights-etl");

  /** The purpose delivery-performance declares when it reads. */
  public static final String PURPOSE = "sla-reporting";

  /** The consumer's view of a delivery's contact, to show what policy lets it see. */
  public record ContactView(long deliveryId, String customerEmail) {}

  private Demo() {}

  /** Runs the three products in dependency order. */
  public static List<ProductRun> run(Mesh mesh, Config config) {
    List<ProductRun> runs = runSources(mesh, config);
    runs.add(consumer(mesh, config));
    return runs;
  }

  /** Runs the two source-aligned products: the batch day's deliveries and telemetry. */
  public static List<ProductRun> runSources(Mesh mesh, Config config) {
    List<ProductRun> runs = new ArrayList<>();
    DataProduct deliveries = DataProduct.load(config.meshDir().resolve("deliveries.yaml"));
    DataProduct telemetry = DataProduct.load(config.meshDir().resolve("drone-telemetry.yaml"));
    runs.add(
        timed(
            deliveries,
            DISPATCH,
            null,
            mesh,
            config,
            run -> {
              OutputPort<Delivery> out = run.output("deliveries", Delivery.class);
              out.writeAll(SyntheticData.deliveries(config.batch(), config.deliveries(), SEED));
              return List.of();
            }));
    runs.add(
        timed(
            telemetry,
            FLEET,
            null,
            mesh,
            config,
            run -> {
              OutputPort<TelemetrySample> out = run.output("telemetry", TelemetrySample.class);
              out.writeAll(SyntheticData.telemetry(config.batch(), config.telemetry(), SEED));
              return List.of();
            }));
    return runs;
  }

  /**
   * Runs the consumer-aligned product: it reads what its sources published since its last run (both
   * inputs are incremental in its descriptor) and publishes their daily region statistics.
   */
  private static ProductRun consumer(Mesh mesh, Config config) {
    DataProduct performance =
        DataProduct.load(config.meshDir().resolve("delivery-performance.yaml"));
    return timed(
        performance,
        INSIGHTS,
        PURPOSE,
        mesh,
        config,
        run -> {
          List<String> notes = new ArrayList<>();
          try (Stream<ContactView> contacts = run.input("deliveries", ContactView.class).read()) {
            contacts
                .map(ContactView::customerEmail)
                .filter(Objects::nonNull)
                .findFirst()
                .ifPresent(
                    e ->
                        notes.add(
                            "policy: reads deliveries for purpose '"
                                + PURPOSE
                                + "'; customer_email as it sees it: "
                                + (e.length() > 16 ? e.substring(0, 16) + "…" : e)));
          }
          InputPort<DeliveryFacts> in = run.input("deliveries", DeliveryFacts.class);
          InputPort<BatterySample> samples = run.input("telemetry", BatterySample.class);
          try (Stream<DeliveryFacts> d = in.read();
              Stream<BatterySample> s = samples.read()) {
            run.output("daily-region-stats", DailyRegionStats.class)
                .writeAll(DeliveryPerformance.aggregate(d, s));
          }
          return notes;
        });
  }

  /** The data protection officer, who may erase a customer's data (see the access policy). */
  public static final Principal DPO = Principal.user("dpo@dronefly.example");

  /**
   * Restates the batch day: {@code deliveries} re-publishes the day with late confirmations (every
   * tenth failed attempt was delivered after all), replacing the day's rows, and {@code
   * delivery-performance} re-derives that day's statistics from the current versions of its inputs,
   * replacing the day's statistics. Each has its own run id per batch, so restating the same day
   * again publishes nothing more.
   */
  public static List<ProductRun> restate(Mesh mesh, Config config) {
    LocalDate day = config.batch();
    java.time.Instant from = day.atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
    java.time.Instant to = day.plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
    dev.meshwork.core.Filter requested =
        dev.meshwork.core.Filter.and(
            dev.meshwork.core.Filter.ge("requested_at", from),
            dev.meshwork.core.Filter.lt("requested_at", to));
    List<ProductRun> runs = new ArrayList<>();
    DataProduct deliveries = DataProduct.load(config.meshDir().resolve("deliveries.yaml"));
    runs.add(
        timed(
            deliveries,
            DISPATCH,
            null,
            mesh,
            config,
            "restate",
            RunOptions.builder(),
            run -> {
              long[] corrected = {0};
              run.output("deliveries", Delivery.class, WriteMode.overwrite(requested))
                  .writeAll(
                      SyntheticData.deliveries(day, config.deliveries(), SEED)
                          .map(
                              d -> {
                                Delivery c = lateConfirmation(d);
                                corrected[0] += c == d ? 0 : 1;
                                return c;
                              }));
              return List.of(
                  "restates "
                      + day
                      + ": "
                      + corrected[0]
                      + " failed deliveries were confirmed late");
            }));
    DataProduct performance =
        DataProduct.load(config.meshDir().resolve("delivery-performance.yaml"));
    runs.add(
        timed(
            performance,
            INSIGHTS,
            PURPOSE,
            mesh,
            config,
            "restate",
            // The whole current versions, this day only: the next incremental run goes on after
            // them.
            RunOptions.builder()
                .read("deliveries", dev.meshwork.core.InputRead.latest())
                .read("telemetry", dev.meshwork.core.InputRead.latest()),
            run -> {
              try (Stream<DeliveryFacts> d =
                      run.input("deliveries", DeliveryFacts.class).read(requested);
                  Stream<BatterySample> s =
                      run.input("telemetry", BatterySample.class)
                          .read(
                              dev.meshwork.core.Filter.and(
                                  dev.meshwork.core.Filter.ge("sampled_at", from),
                                  dev.meshwork.core.Filter.lt("sampled_at", to)))) {
                run.output(
                        "daily-region-stats",
                        DailyRegionStats.class,
                        WriteMode.overwrite(dev.meshwork.core.Filter.eq("day", day)))
                    .writeAll(DeliveryPerformance.aggregate(d, s));
              }
              return List.of("re-derives " + day + " from the restated deliveries");
            }));
    return runs;
  }

  /** Every tenth failed attempt (by id) was delivered after all, an hour after it was requested. */
  private static Delivery lateConfirmation(Delivery d) {
    if (d.status() != Delivery.DeliveryStatus.FAILED || d.deliveryId() % 10 != 0) {
      return d;
    }
    return new Delivery(
        d.deliveryId(),
        d.orderId(),
        d.region(),
        d.droneId(),
        Delivery.DeliveryStatus.DELIVERED,
        d.requestedAt(),
        d.requestedAt().plusSeconds(3_600),
        d.promisedMinutes(),
        d.distanceKm(),
        d.weightKg(),
        d.dropPoint(),
        d.customerEmail());
  }

  /**
   * Erases one customer, identified by e-mail, from every product of the demo mesh that holds
   * customers (the contracts mark {@code customer_email} as identifying a {@code customer}).
   */
  public static dev.meshwork.core.ErasureReport erase(Mesh mesh, Config config, String email) {
    List<DataProduct> products =
        List.of(
            DataProduct.load(config.meshDir().resolve("deliveries.yaml")),
            DataProduct.load(config.meshDir().resolve("drone-telemetry.yaml")),
            DataProduct.load(config.meshDir().resolve("delivery-performance.yaml")));
    return mesh.erase(
        dev.meshwork.core.Erasure.of("customer", email)
            .because("right to erasure (GDPR art. 17), demo request"),
        DPO,
        products);
  }

  /**
   * The demo mesh's policies ({@code policies/*.yaml} beside the descriptors), logged to a file.
   */
  public static dev.meshwork.spi.PolicyEngine policies(Config config, Path decisionLog) {
    return dev.meshwork.policy.Policies.fromDirectory(
        config.meshDir().resolve("policies"), decisionLog, java.time.Clock.systemUTC());
  }

  /**
   * Adds "Who may read" from the demo's policies to the product pages in the warehouse, when the
   * runs made them (they are on by default).
   */
  public static void describeReaders(dev.meshwork.core.Settings settings, Config config) {
    Path site = settings.localFolder().resolve("site");
    if (java.nio.file.Files.isDirectory(site.resolve("data"))) {
      try {
        dev.meshwork.lineage.StaticSitePublisher.at(site)
            .readers(
                SiteReaders.of(
                    dev.meshwork.policy.PolicySet.load(config.meshDir().resolve("policies"))))
            .rebuild();
      } catch (RuntimeException e) {
        // The pages describe what was published; like every update of them, this never fails a run.
        System.err.println("The product pages in " + site + " were not updated: " + e.getMessage());
      }
    }
  }

  /**
   * The consumer tries to read deliveries for a purpose its usage contract does not cover; returns
   * the policy's refusal, or empty when no policy refuses it (as with the allow-all default).
   */
  public static java.util.Optional<String> tryMarketingRead(Mesh mesh, Config config) {
    DataProduct performance =
        DataProduct.load(config.meshDir().resolve("delivery-performance.yaml"));
    try (Run run =
        mesh.start(performance, INSIGHTS, RunOptions.builder().purpose("marketing").build())) {
      run.input("deliveries", DeliveryFacts.class);
      return java.util.Optional.empty();
    } catch (dev.meshwork.core.PolicyDeniedException e) {
      return java.util.Optional.of(e.getMessage());
    }
  }

  private interface Body {
    List<String> accept(Run run);
  }

  private static ProductRun timed(
      DataProduct product,
      Principal principal,
      String purpose,
      Mesh mesh,
      Config config,
      Body body) {
    return timed(product, principal, purpose, mesh, config, "", RunOptions.builder(), body);
  }

  /** {@code kind} tells the run ids of one batch apart ("" for the batch's own run). */
  private static ProductRun timed(
      DataProduct product,
      Principal principal,
      String purpose,
      Mesh mesh,
      Config config,
      String kind,
      RunOptions.Builder options,
      Body body) {
    long start = System.nanoTime();
    String runId =
        UUID.nameUUIDFromBytes(
                (product.id() + "/" + config.batch() + (kind.isEmpty() ? "" : "/" + kind))
                    .getBytes(StandardCharsets.UTF_8))
            .toString();
    options
        .runId(runId)
        .nominalTime(config.batch().atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
    if (purpose != null) {
      options.purpose(purpose);
    }
    try (Run run = mesh.start(product, principal, options.build())) {
      List<String> notes = body.accept(run);
      RunResult result = run.commit();
      return new ProductRun(
          product.displayName(), result, (System.nanoTime() - start) / 1_000_000, notes);
    }
  }
}
