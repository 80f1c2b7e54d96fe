package dev.meshwork.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The public packages of every SDK module, with how many public top-level types each holds: a new
 * public package, or a package that grows, is a decision this test makes visible (change the list
 * with the change that needs it).
 */
class PublicApiTest {

  @Test
  void publicPackagesAreTheListedOnes() {
    Map<String, Integer> publicTypes = new TreeMap<>();
    for (JavaClass c :
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
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
                "dev.meshwork.core", 21,
                "dev.meshwork.core.model", 17,
                "dev.meshwork.core.schema", 9,
                "dev.meshwork.spi", 26,
                "dev.meshwork.spi.write", 15,
                "dev.meshwork.iceberg", 3,
                "dev.meshwork.lineage", 11,
                "dev.meshwork.policy", 14,
                "dev.meshwork.quality", 10));
  }
}
