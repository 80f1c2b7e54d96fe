package dev.meshwork.samples.cli;

import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs one test class with JUnit's launcher, in the JVM of its own the init test starts in the
 * generated project's folder (its test reads {@code mesh/} there). Exit code: failed tests.
 */
public final class GeneratedTests {
  private GeneratedTests() {}

  /** Runs the class named by the argument and prints the summary. */
  public static void main(String[] args) {
    LauncherDiscoveryRequest request =
        LauncherDiscoveryRequestBuilder.request()
            .selectors(DiscoverySelectors.selectClass(args[0]))
            .build();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    LauncherFactory.create().execute(request, listener);
    TestExecutionSummary summary = listener.getSummary();
    summary.printTo(new java.io.PrintWriter(System.out, true));
    summary.printFailuresTo(new java.io.PrintWriter(System.out, true), 20);
    System.exit(summary.getTestsFoundCount() == 0 ? 99 : (int) summary.getTotalFailureCount());
  }
}
