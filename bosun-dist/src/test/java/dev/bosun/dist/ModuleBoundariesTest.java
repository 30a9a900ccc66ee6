package dev.bosun.dist;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The module graph of docs/ARCHITECTURE.md, enforced: a forbidden import fails the build. */
class ModuleBoundariesTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.bosun");
  }

  @Test
  void nothingDependsOnTheServerButTheDistribution() {
    noClasses()
        .that()
        .resideOutsideOfPackages("dev.bosun.server..", "dev.bosun.dist..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.bosun.server..")
        .check(classes);
  }

  @Test
  void cliUsesTheApiNeverTheServerStoreSchedulerOrAgent() {
    noClasses()
        .that()
        .resideInAPackage("dev.bosun.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.bosun.server..", "dev.bosun.store..", "dev.bosun.scheduler..", "dev.bosun.agent..")
        .check(classes);
  }

  @Test
  void schedulerIsPure() {
    noClasses()
        .that()
        .resideInAPackage("dev.bosun.scheduler..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.bosun.store..",
            "dev.bosun.api..",
            "dev.bosun.agent..",
            "java.sql..",
            "java.net..",
            "java.io..",
            "java.nio.file..",
            "org.slf4j..",
            "java.lang.Thread")
        .check(classes);
  }

  @Test
  void schedulerReadsNoClock() {
    noClasses()
        .that()
        .resideInAPackage("dev.bosun.scheduler..")
        .should()
        .callMethod(System.class, "currentTimeMillis")
        .orShould()
        .callMethod(java.time.Instant.class, "now")
        .check(classes);
  }

  @Test
  void modelDependsOnNothingOfBosun() {
    noClasses()
        .that()
        .resideInAPackage("dev.bosun.model..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.bosun.scheduler..",
            "dev.bosun.store..",
            "dev.bosun.api..",
            "dev.bosun.agent..",
            "dev.bosun.cli..")
        .check(classes);
  }

  @Test
  void storeAndApiStayBelowTheAgentAndServer() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.bosun.store..", "dev.bosun.api..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.bosun.agent..", "dev.bosun.scheduler..", "dev.bosun.cli..")
        .check(classes);
  }

  @Test
  void agentKnowsNoServerStoreOrScheduler() {
    noClasses()
        .that()
        .resideInAPackage("dev.bosun.agent..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.bosun.store..", "dev.bosun.scheduler..", "dev.bosun.cli..")
        .check(classes);
  }
}
