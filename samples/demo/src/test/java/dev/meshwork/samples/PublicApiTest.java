package dev.meshwork.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public packages of every SDK module, with how many public top-level types each holds: a new
 * public package, or a package that grows, is a decision this test makes visible (change the list
 * with the change that needs it).
 */
class PublicApiTest {

  /** Test jars of other modules (SecretsTest uses sdk-iceberg's servers) are tests too. */
  private static final ImportOption NOT_A_TEST_JAR = location -> !location.contains("-tests.jar");

  @Test
  void publicPackagesAreTheListedOnes() {
    Map<String, Integer> publicTypes = new TreeMap<>();
    for (JavaClass c :
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(NOT_A_TEST_JAR)
            .importPackages("dev.meshwork")) {
      String pkg = c.getPackageName();
      if (pkg.contains(".internal")
          || pkg.startsWith("dev.meshwork.samples")
          || pkg.startsWith("dev.meshwork.bench")
          || !c.isTopLevelClass()
          || !c.getModifiers().contains(JavaModifier.PUBLIC)) {
        continue;
      }
      publicTypes.merge(pkg, 1, Integer::sum);
    }
    assertThat(publicTypes)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "dev.meshwork.core", 35,
                "dev.meshwork.core.model", 22,
                "dev.meshwork.core.schema", 9,
                "dev.meshwork.spi", 36,
                "dev.meshwork.spi.write", 15,
                "dev.meshwork.iceberg", 4,
                "dev.meshwork.lineage", 14,
                "dev.meshwork.policy", 18,
                "dev.meshwork.quality", 11,
                "dev.meshwork.testing", 2));
  }

  /**
   * Settings have one reader: {@link dev.meshwork.core.Settings} is the only class of the SDK and
   * the samples that reads system properties or the environment, and no test sets system properties
   * (a test configures a mesh with {@code Settings.builder()} instead).
   */
  @Test
  void onlyTheSettingsResolverReadsThePropertiesAndTheEnvironment() throws Exception {
    List<String> readers = new ArrayList<>();
    for (JavaClass c :
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(NOT_A_TEST_JAR)
            .importPackages("dev.meshwork")) {
      if (c.getPackageName().startsWith("dev.meshwork.bench")
          || c.getName().equals(dev.meshwork.core.Settings.class.getName())) {
        continue;
      }
      for (JavaMethodCall call : c.getMethodCallsFromSelf()) {
        if (call.getTargetOwner().isEquivalentTo(System.class)
            && Set.of("getProperty", "getProperties", "getenv", "setProperty", "clearProperty")
                .contains(call.getName())) {
          readers.add(c.getName() + " calls System." + call.getName());
        }
      }
    }
    assertThat(readers).isEmpty();

    // The modules built after this one (the Spark and Flink samples, bench) are not on this class
    // path: their sources are read instead, every module's.
    java.util.regex.Pattern reads =
        java.util.regex.Pattern.compile(
            "System\\s*\\.\\s*(getProperty|getProperties|getenv)\\b"
                + "|import\\s+static\\s+java\\.lang\\.System\\.");
    List<String> sourceReaders = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("../.."))) {
      for (Path f :
          files
              .filter(f -> f.toString().endsWith(".java"))
              .filter(
                  f -> !f.toString().contains("/src/test/") && !f.toString().contains("/target/"))
              .filter(f -> !f.toString().contains("/bench/"))
              .filter(f -> !f.endsWith(Path.of("dev/meshwork/core/Settings.java")))
              .toList()) {
        if (reads.matcher(Files.readString(f)).find()) {
          sourceReaders.add(f.normalize().toString());
        }
      }
    }
    assertThat(sourceReaders).as("sources that read properties or the environment").isEmpty();

    List<String> setters = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("../.."))) {
      for (Path f :
          files
              .filter(f -> f.toString().endsWith(".java"))
              .filter(f -> f.toString().contains("/src/test/"))
              .toList()) {
        String text = Files.readString(f);
        // Spelled in two parts so that this file does not find itself.
        if (text.contains("System." + "setProperty(")
            || text.contains("System." + "clearProperty(")) {
          setters.add(f.toString());
        }
      }
    }
    assertThat(setters).as("tests that set system properties").isEmpty();
  }
}
