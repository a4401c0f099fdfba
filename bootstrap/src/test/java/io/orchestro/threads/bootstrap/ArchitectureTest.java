package io.orchestro.threads.bootstrap;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.orchestro.threads.application.engine.WakeableLoop;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module table of architecture.md, and the directions inside {@code application}: ports point
 * one way, adapters reach the core only through its ports, and the use cases, the engine and the
 * agents do not reach into each other. Every rule keeps ArchUnit's empty-rule failure on, so a
 * mistyped package fails here instead of passing without checking anything.
 */
class ArchitectureTest {

  private static final String BASE = "io.orchestro.threads";
  private static final String DOMAIN = BASE + ".domain..";
  private static final String APPLICATION = BASE + ".application..";
  private static final String PORTS = BASE + ".application.port..";
  private static final String PORT_IN = BASE + ".application.port.in..";
  private static final String PORT_OUT = BASE + ".application.port.out..";
  private static final String SERVICES = BASE + ".application.service..";
  private static final String ENGINE = BASE + ".application.engine..";
  private static final String AGENT_REGISTRY = BASE + ".application.agent..";
  private static final String REST = BASE + ".adapters.rest..";
  private static final String PERSISTENCE = BASE + ".adapters.persistence..";
  private static final String WEBHOOKS = BASE + ".adapters.webhooks..";
  private static final String AGENTS = BASE + ".adapters.agents..";
  private static final String SECURITY = BASE + ".adapters.security..";
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
        .resideInAnyPackage(PERSISTENCE, WEBHOOKS, AGENTS, SECURITY, BOOTSTRAP)
        .check(production);
  }

  @Test
  void persistenceAdapterDoesNotUseOtherAdapters() {
    noClasses()
        .that()
        .resideInAPackage(PERSISTENCE)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(REST, WEBHOOKS, AGENTS, SECURITY, BOOTSTRAP)
        .check(production);
  }

  @Test
  void webhooksAdapterDoesNotUseOtherAdapters() {
    noClasses()
        .that()
        .resideInAPackage(WEBHOOKS)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(REST, PERSISTENCE, AGENTS, SECURITY, BOOTSTRAP)
        .check(production);
  }

  @Test
  void agentsAdapterDoesNotUseOtherAdapters() {
    noClasses()
        .that()
        .resideInAPackage(AGENTS)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(REST, PERSISTENCE, WEBHOOKS, SECURITY, BOOTSTRAP)
        .check(production);
  }

  /**
   * Who is calling is decided before the API sees the request: the security adapter knows the
   * domain's {@code Caller} and nothing of the application or the other adapters.
   */
  @Test
  void securityAdapterUsesOnlyTheDomain() {
    noClasses()
        .that()
        .resideInAPackage(SECURITY)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(APPLICATION, REST, PERSISTENCE, WEBHOOKS, AGENTS, BOOTSTRAP)
        .check(production);
  }

  /**
   * Each store can be deleted whole: they share only the JSON shapes and text of their parent
   * package.
   */
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
        .resideInAnyPackage(REST, PERSISTENCE, WEBHOOKS, AGENTS, SECURITY, BOOTSTRAP)
        .check(production);
  }

  // ---- inside application ----

  /** What the core needs from the world says nothing of how the world calls the core. */
  @Test
  void outgoingPortsDoNotUseIncomingPorts() {
    noClasses()
        .that()
        .resideInAPackage(PORT_OUT)
        .should()
        .dependOnClassesThat()
        .resideInAPackage(PORT_IN)
        .check(production);
  }

  /** Types both sides need (events, webhooks, queries) are domain types. */
  @Test
  void incomingPortsDoNotUseOutgoingPorts() {
    noClasses()
        .that()
        .resideInAPackage(PORT_IN)
        .should()
        .dependOnClassesThat()
        .resideInAPackage(PORT_OUT)
        .check(production);
  }

  /** The ports are the core's edge: they name domain types, never the code behind them. */
  @Test
  void portsDependOnlyOnPortsTheDomainAndTheJdk() {
    classes()
        .that()
        .resideInAPackage(PORTS)
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(PORTS, DOMAIN, "java..")
        .check(production);
  }

  /**
   * Adapters use the core through its ports (and the domain), never its implementation: bootstrap
   * alone creates the services, the engine and the loops, and hands the adapters their ports.
   */
  @Test
  void adaptersUseTheApplicationOnlyThroughItsPorts() {
    noClasses()
        .that()
        .resideInAnyPackage(REST, PERSISTENCE, WEBHOOKS, AGENTS)
        .should()
        .dependOnClassesThat(resideInAPackage(APPLICATION).and(not(resideInAPackage(PORTS))))
        .check(production);
  }

  /**
   * The use cases tell the engine about work through a port ({@code EngineSignal}); of the engine's
   * package they use only {@link WakeableLoop}, the background loop both build on.
   */
  @Test
  void servicesUseNothingOfTheEngineButItsLoop() {
    noClasses()
        .that()
        .resideInAPackage(SERVICES)
        .should()
        .dependOnClassesThat(resideInAPackage(ENGINE).and(not(equivalentTo(WakeableLoop.class))))
        .check(production);
  }

  @Test
  void theEngineDoesNotUseTheServices() {
    noClasses()
        .that()
        .resideInAPackage(ENGINE)
        .should()
        .dependOnClassesThat()
        .resideInAPackage(SERVICES)
        .check(production);
  }

  /** The agents' registry knows agents only as the Agent port. */
  @Test
  void theAgentRegistryUsesOnlyThePortsAndTheDomain() {
    classes()
        .that()
        .resideInAPackage(AGENT_REGISTRY)
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(AGENT_REGISTRY, PORTS, DOMAIN, "java..")
        .check(production);
  }
}
