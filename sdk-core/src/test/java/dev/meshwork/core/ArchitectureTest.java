package dev.meshwork.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "dev.meshwork", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule coreKnowsNoAdapterOrEngine =
      noClasses()
          .that()
          .resideInAnyPackage("dev.meshwork.core..", "dev.meshwork.spi..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.meshwork.iceberg..",
              "dev.meshwork.lineage..",
              "dev.meshwork.policy..",
              "dev.meshwork.quality..",
              "org.apache.iceberg..",
              "org.apache.hadoop..",
              "org.apache.parquet..",
              "io.openlineage..",
              "java.net.http..");

  @ArchTest
  static final ArchRule spiDoesNotReachIntoInternals =
      noClasses()
          .that()
          .resideInAPackage("dev.meshwork.spi..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.meshwork.core.internal..");
}
