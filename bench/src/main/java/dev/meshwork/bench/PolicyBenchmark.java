package dev.meshwork.bench;

import dev.meshwork.core.Principal;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.policy.CachingPolicyEngine;
import dev.meshwork.policy.GrantsPolicyEngine;
import dev.meshwork.policy.PolicySet;
import dev.meshwork.spi.Action;
import dev.meshwork.spi.Decision;
import dev.meshwork.spi.PolicyEngine;
import dev.meshwork.spi.PolicyRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decisions per second of the built-in engine for a READ that exercises everything a read can: a
 * group from the directory, a purpose, a CEL condition, a usage contract, a mask and a row filter;
 * evaluated every time ({@code uncached}) and through the decision cache ({@code cached}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 4)
@Fork(value = 2, jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
public class PolicyBenchmark {
  private Path root;
  private PolicyEngine uncached;
  private PolicyEngine cached;
  private PolicyRequest request;

  /** Loads the benchmark policies. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    root = Files.createTempDirectory("meshwork-policy-bench");
    BenchSetup.product(root);
    PolicySet set = PolicySet.load(root.resolve("policies"));
    uncached = new GrantsPolicyEngine(set, Clock.systemUTC());
    cached = new CachingPolicyEngine(uncached, Duration.ofMinutes(1), Clock.systemUTC());
    request =
        new PolicyRequest(
            Action.READ,
            Principal.service("bench-reader"),
            DataProduct.load(root.resolve("consumer.yaml")),
            "rows",
            "benchmarking");
    Decision d = uncached.decide(request);
    if (!d.allowed() || d.obligations().size() < 3) {
      throw new IllegalStateException("the benchmark READ must be allowed with obligations: " + d);
    }
  }

  /** Deletes the files. */
  @TearDown(Level.Trial)
  public void clean() {
    BenchSetup.deleteRecursively(root);
  }

  /** Every decision evaluated: grants, usage contract, CEL condition, masks, row filter. */
  @Benchmark
  public Decision uncached() {
    return uncached.decide(request);
  }

  /** Repeated decisions served by the decision cache. */
  @Benchmark
  public Decision cached() {
    return cached.decide(request);
  }
}
