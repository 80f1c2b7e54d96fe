package dev.meshwork.iceberg;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "dev.meshwork", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleBoundariesTest {

  @ArchTest
  static final ArchRule theStoreUsesOnlyCorePublicApiAndSpi =
      noClasses()
          .that()
          .resideInAPackage("dev.meshwork.iceberg..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.meshwork.core.internal..");
}
