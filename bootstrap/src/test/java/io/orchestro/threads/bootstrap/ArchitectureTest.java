package io.orchestro.threads.bootstrap;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module table of architecture.md. Every rule keeps ArchUnit's empty-rule failure on, so a
 * mistyped package fails here instead of passing without checking anything.
 */
class ArchitectureTest {

  private static final String BASE = "io.orchestro.threads";
  private static final String DOMAIN = BASE + ".domain..";
  private static final String APPLICATION = BASE + ".application..";
  private static final String REST = BASE + ".adapters.rest..";
  private static final String PERSISTENCE = BASE + ".adapters.persistence..";
  private static final String WEBHOOKS = BASE + ".adapters.webhooks..";
  private static final String AGENTS = BASE + ".adapters.agents..";
  private static final String BOOTSTRAP = BASE + ".bootstrap..";
  private static final String SQL = BASE + ".adapters.persistence.sql..";
  private static final String JSON_FILES = BASE + ".adapters.persistence.json..";

  private static JavaClasses production;

  @BeforeAll
  static void importProductionClasses() {
    production =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // test fixtures shared through test-jars are tests too
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages(BASE);
  }

  @Test
  void domainDependsOnNothingButTheJdk() {
    classes()
        .that()
        .resideInAPackage(DOMAIN)
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(DOMAIN, "java..")
        .check(production);
  }

  @Test
  void applicationDependsOnlyOnTheDomainAndTheJdk() {
    classes()
        .that()
        .resideInAPackage(APPLICATION)
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(APPLICATION, DOMAIN, "java..")
        .check(production);
  }

  @Test
  void coreUsesNoFramework() {
    noClasses()
        .that()
        .resideInAnyPackage(DOMAIN, APPLICATION)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.springframework..",
            "jakarta.persistence..",
            "org.hibernate..",
            "com.fasterxml.jackson..",
            "tools.jackson..",
            "org.slf4j..")
        .check(production);
  }

  @Test
  void restAdapterDoesNotUseOtherAdapters() {
    noClasses()
        .that()
        .resideInAPackage(REST)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(PERSISTENCE, WEBHOOKS, AGENTS, BOOTSTRAP)
        .check(production);
  }

  @Test
  void persistenceAdapterDoesNotUseOtherAdapters() {
    noClasses()
        .that()
        .resideInAPackage(PERSISTENCE)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(REST, WEBHOOKS, AGENTS, BOOTSTRAP)
        .check(production);
  }

  @Test
  void webhooksAdapterDoesNotUseOtherAdapters() {
    noClasses()
        .that()
        .resideInAPackage(WEBHOOKS)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(REST, PERSISTENCE, AGENTS, BOOTSTRAP)
        .check(production);
  }

  @Test
  void agentsAdapterDoesNotUseOtherAdapters() {
    noClasses()
        .that()
        .resideInAPackage(AGENTS)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(REST, PERSISTENCE, WEBHOOKS, BOOTSTRAP)
        .check(production);
  }

  /** Each store can be deleted whole: they share only the JSON shapes of their parent package. */
  @Test
  void theTwoStoresDoNotUseEachOther() {
    noClasses()
        .that()
        .resideInAPackage(SQL)
        .should()
        .dependOnClassesThat()
        .resideInAPackage(JSON_FILES)
        .check(production);
    noClasses()
        .that()
        .resideInAPackage(JSON_FILES)
        .should()
        .dependOnClassesThat()
        .resideInAPackage(SQL)
        .check(production);
  }

  @Test
  void onlyBootstrapKnowsTheAdapters() {
    noClasses()
        .that()
        .resideInAnyPackage(DOMAIN, APPLICATION)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(REST, PERSISTENCE, WEBHOOKS, AGENTS, BOOTSTRAP)
        .check(production);
  }
}
