package dev.meshwork.lineage;

import dev.meshwork.core.MeshworkException;
import dev.meshwork.core.ParentRun;
import dev.meshwork.core.Settings;
import dev.meshwork.lineage.internal.AsyncEmitter;
import dev.meshwork.lineage.internal.EventMapper;
import dev.meshwork.spi.RunEvent;
import dev.meshwork.spi.RunListener;
import io.openlineage.client.Clients;
import io.openlineage.client.DefaultConfigPathProvider;
import io.openlineage.client.OpenLineageClient;
import io.openlineage.client.transports.ApiKeyTokenProvider;
import io.openlineage.client.transports.FileConfig;
import io.openlineage.client.transports.FileTransport;
import io.openlineage.client.transports.HttpConfig;
import io.openlineage.client.transports.HttpTransport;
import io.openlineage.client.transports.Transport;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Emits an OpenLineage event for every run stage (START, COMPLETE, FAIL, ABORT) through the
 * OpenLineage Java client, off the pipeline thread, spooling to disk while the backend is away.
 *
 * <p>{@link #fromEnvironment()} configures the client the standard way ({@code openlineage.yml},
 * {@code OPENLINEAGE_*} variables: HTTP, Kafka, file, console, composite, transform); with none of
 * those set it writes JSON lines to {@code <warehouse>/lineage/openlineage.jsonl}, where the
 * warehouse is system property {@code meshwork.warehouse}, else {@code MESHWORK_WAREHOUSE}, else
 * {@code ./warehouse}.
 */
public final class OpenLineageListener implements RunListener {
  private static final Logger LOG = LoggerFactory.getLogger(OpenLineageListener.class);

  private final EventMapper mapper;
  private final AsyncEmitter emitter;
  private final OpenLineageClient client;
  private final String description;
  private final Duration closeTimeout;
  private final AtomicLong unmappable = new AtomicLong();

  private OpenLineageListener(Builder b) {
    this.client = b.client != null ? b.client : new OpenLineageClient(b.transport);
    this.mapper =
        new EventMapper(
            URI.create("https://meshwork.dev/sdk-lineage/" + version()),
            b.namespace,
            version(),
            b.parent);
    this.emitter =
        new AsyncEmitter(
            client::emit,
            b.spoolDirectory,
            new AsyncEmitter.Settings(
                b.queueCapacity,
                b.maxEnqueueWait,
                b.sendAttempts,
                b.retryBackoff,
                b.replayInterval));
    this.description =
        "OpenLineage to "
            + b.target
            + ", job namespace "
            + b.namespace
            + ", spool "
            + b.spoolDirectory;
    this.closeTimeout = b.closeTimeout;
  }

  /**
   * The standard OpenLineage configuration, or JSON lines under the warehouse when there is none.
   */
  public static OpenLineageListener fromEnvironment() {
    return fromSettings(Settings.fromEnvironment());
  }

  /**
   * The standard OpenLineage configuration when the settings' environment has one ({@code
   * OPENLINEAGE_URL}, {@code OPENLINEAGE_CONFIG}, {@code OPENLINEAGE__*} or an {@code
   * openlineage.yml}), else JSON lines under the settings' local folder.
   */
  public static OpenLineageListener fromSettings(Settings settings) {
    Builder b = builder(settings);
    Path lineageDir = settings.localFolder().resolve("lineage");
    Path jsonLines = lineageDir.resolve("openlineage.jsonl");
    b.file(jsonLines);
    List<Path> files = configFiles(settings);
    String standard = null;
    try {
      if (!files.isEmpty() || !settings.variablesStartingWith("OPENLINEAGE__").isEmpty()) {
        standard =
            files.isEmpty()
                ? "OPENLINEAGE__* variables " + settings.variablesStartingWith("OPENLINEAGE__")
                : "OpenLineage configuration " + files.get(0);
        // Only files that exist: the client logs a stack trace for every missing default path.
        b.client(Clients.newClient(() -> files), "the transport configured by " + standard);
      } else if (settings.variable("OPENLINEAGE_URL").isPresent()) {
        standard = "OPENLINEAGE_URL";
        b.transport(httpFromVariables(settings));
      }
    } catch (Exception e) {
      // A lineage backend must never stop a pipeline: say what is wrong, and keep the events.
      LOG.warn(
          "Cannot use the lineage configuration of {} ({}); writing lineage to {} instead. Fix the"
              + " configuration (see https://openlineage.io/docs/client/java/configuration).",
          standard,
          e.getMessage(),
          jsonLines);
      b.file(jsonLines);
      b.target += " (" + standard + " could not be used: " + e.getMessage() + ")";
    }
    return b.spoolDirectory(lineageDir.resolve("spool")).build();
  }

  /**
   * An HTTP transport from the variables the OpenLineage clients document for it: {@code
   * OPENLINEAGE_URL}, {@code OPENLINEAGE_ENDPOINT} (default {@code api/v1/lineage}) and {@code
   * OPENLINEAGE_API_KEY}; the Java client itself reads only {@code OPENLINEAGE__*} variables.
   */
  private static Transport httpFromVariables(Settings settings) {
    String url = settings.variable("OPENLINEAGE_URL").orElseThrow();
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("OPENLINEAGE_URL '" + url + "' is not a URL");
    }
    if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "OPENLINEAGE_URL '" + url + "' is not an http(s) URL such as http://marquez:5000");
    }
    HttpConfig http = new HttpConfig();
    http.setUrl(uri);
    settings.variable("OPENLINEAGE_ENDPOINT").ifPresent(http::setEndpoint);
    http.setTimeoutInMillis(5_000);
    settings
        .variable("OPENLINEAGE_API_KEY")
        .ifPresent(
            key -> {
              ApiKeyTokenProvider auth = new ApiKeyTokenProvider();
              auth.setApiKey(key);
              http.setAuth(auth);
            });
    return new HttpTransport(http);
  }

  /**
   * A builder; by default it writes JSON lines to {@code ./warehouse/lineage/openlineage.jsonl}.
   */
  public static Builder builder() {
    return builder(Settings.fromEnvironment());
  }

  /**
   * A builder whose defaults come from {@code settings}: JSON lines under its local folder, the job
   * namespace {@code OPENLINEAGE_NAMESPACE} and the parent run {@code OPENLINEAGE_PARENT_ID}.
   */
  public static Builder builder(Settings settings) {
    return new Builder(settings);
  }

  @Override
  public void onEvent(RunEvent event) {
    if (event.type() == RunEvent.Type.PROGRESS) {
      return; // progress is for people watching the run, not for the lineage record
    }
    io.openlineage.client.OpenLineage.RunEvent mapped;
    try {
      mapped = mapper.map(event);
    } catch (RuntimeException e) {
      unmappable.incrementAndGet();
      LOG.warn(
          "Cannot build the OpenLineage {} event of run {}: {}",
          event.type(),
          event.runId(),
          e.toString());
      return;
    }
    emitter.submit(mapped);
  }

  /** Counters of emitted, retried, spooled, replayed and dropped events. */
  public LineageCounters counters() {
    return emitter.counters();
  }

  /** Waits up to {@code timeout} for queued events to be sent; true when none is left anywhere. */
  public boolean flush(Duration timeout) {
    return emitter.flush(timeout);
  }

  /** Flushes within the close timeout; what the backend did not take stays spooled on disk. */
  @Override
  public void close() {
    emitter.close(closeTimeout);
    try {
      client.close();
    } catch (Exception e) {
      LOG.debug("OpenLineage client close failed", e);
    }
    LineageCounters c = counters();
    LOG.info(
        "Lineage: {} emitted, {} retried, {} spooled, {} replayed, {} dropped, {} pending",
        c.emitted(),
        c.retried(),
        c.spooled(),
        c.replayed(),
        c.dropped(),
        c.pendingInSpool());
  }

  @Override
  public String toString() {
    return description;
  }

  /**
   * The OpenLineage configuration files that exist: {@code OPENLINEAGE_CONFIG}, else the defaults.
   */
  private static List<Path> configFiles(Settings settings) {
    Optional<String> named = settings.variable("OPENLINEAGE_CONFIG");
    if (named.isPresent()) {
      Path p = Path.of(named.get());
      if (!Files.isRegularFile(p)) {
        LOG.warn(
            "OPENLINEAGE_CONFIG names {}, which is not a file; lineage ignores it",
            p.toAbsolutePath());
        return List.of();
      }
      return List.of(p);
    }
    return new DefaultConfigPathProvider()
        .getPaths().stream().filter(Files::isRegularFile).toList();
  }

  private static String version() {
    String v = OpenLineageListener.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** Builds an {@link OpenLineageListener}. */
  public static final class Builder {
    private OpenLineageClient client;
    private Transport transport;
    private String target;
    private String namespace;
    private ParentRun parent;
    private Path spoolDirectory;
    private int queueCapacity = 1_000;
    private Duration maxEnqueueWait = Duration.ofMillis(20);
    private int sendAttempts = 3;
    private Duration retryBackoff = Duration.ofMillis(200);
    private Duration replayInterval = Duration.ofSeconds(30);
    private Duration closeTimeout = Duration.ofSeconds(10);

    private Builder(Settings settings) {
      Path lineage = settings.localFolder().resolve("lineage");
      this.namespace = settings.variable("OPENLINEAGE_NAMESPACE").orElse("meshwork");
      this.parent = parentFrom(settings);
      this.spoolDirectory = lineage.resolve("spool");
      file(lineage.resolve("openlineage.jsonl"));
    }

    /** Sends through an OpenLineage client configured by the caller. */
    public Builder client(OpenLineageClient openLineageClient, String targetDescription) {
      this.client = Objects.requireNonNull(openLineageClient, "openLineageClient");
      this.transport = null;
      this.target = targetDescription;
      return this;
    }

    /** Sends through an OpenLineage transport (HTTP, Kafka, composite, …). */
    public Builder transport(Transport lineageTransport) {
      this.transport = Objects.requireNonNull(lineageTransport, "lineageTransport");
      this.client = null;
      this.target = lineageTransport.getClass().getSimpleName();
      return this;
    }

    /** Appends JSON lines to a file (the zero-configuration default). */
    public Builder file(Path jsonLines) {
      try {
        Files.createDirectories(jsonLines.toAbsolutePath().getParent());
      } catch (IOException e) {
        throw new MeshworkException(
            "Cannot create the lineage folder "
                + jsonLines.getParent()
                + ": "
                + e.getMessage()
                + ". Choose a writable path.",
            e);
      }
      this.transport = new FileTransport(new FileConfig(jsonLines.toAbsolutePath().toString()));
      this.client = null;
      this.target = "file " + jsonLines.toAbsolutePath();
      return this;
    }

    /** The job namespace (default: {@code OPENLINEAGE_NAMESPACE}, else {@code meshwork}). */
    public Builder namespace(String jobNamespace) {
      if (jobNamespace == null || jobNamespace.isBlank()) {
        throw new IllegalArgumentException("namespace must not be blank");
      }
      this.namespace = jobNamespace;
      return this;
    }

    /** The parent of every run (default: {@code OPENLINEAGE_PARENT_ID}); RunOptions override it. */
    public Builder parent(ParentRun parentRun) {
      this.parent = parentRun;
      return this;
    }

    /** Where events wait while the backend is unreachable. */
    public Builder spoolDirectory(Path dir) {
      this.spoolDirectory = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /** Events held in memory before the pipeline thread spools itself (default 1000). */
    public Builder queueCapacity(int events) {
      if (events < 1) {
        throw new IllegalArgumentException("queueCapacity must be at least 1, but was " + events);
      }
      this.queueCapacity = events;
      return this;
    }

    /** The most a pipeline thread waits to enqueue an event (default 20 ms). */
    public Builder maxEnqueueWait(Duration wait) {
      this.maxEnqueueWait = nonNegative(wait, "maxEnqueueWait");
      return this;
    }

    /**
     * Tries per event before it is spooled (default 3), with a growing backoff (default 200 ms).
     */
    public Builder sendAttempts(int attempts, Duration backoff) {
      if (attempts < 1) {
        throw new IllegalArgumentException("sendAttempts must be at least 1, but was " + attempts);
      }
      this.sendAttempts = attempts;
      this.retryBackoff = nonNegative(backoff, "backoff");
      return this;
    }

    /** How often spooled events are retried (default 30 s). */
    public Builder replayInterval(Duration interval) {
      this.replayInterval = nonNegative(interval, "replayInterval");
      return this;
    }

    /** How long {@code close()} waits for the backend (default 10 s). */
    public Builder closeTimeout(Duration timeout) {
      this.closeTimeout = nonNegative(timeout, "closeTimeout");
      return this;
    }

    /** The listener; starts its emitter thread. */
    public OpenLineageListener build() {
      return new OpenLineageListener(this);
    }

    private static Duration nonNegative(Duration d, String name) {
      if (d == null || d.isNegative()) {
        throw new IllegalArgumentException(name + " must be zero or positive, but was " + d);
      }
      return d;
    }

    private static ParentRun parentFrom(Settings settings) {
      String id = settings.variable("OPENLINEAGE_PARENT_ID").orElse(null);
      if (id == null) {
        return null;
      }
      try {
        return ParentRun.parse(id);
      } catch (IllegalArgumentException e) {
        LOG.warn("Ignoring OPENLINEAGE_PARENT_ID: {}", e.getMessage());
        return null;
      }
    }
  }
}
