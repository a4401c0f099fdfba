package io.orchestro.threads.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestro.threads.bootstrap.SseClient.Event;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two nodes on one PostgreSQL database: a client of node A sees every event that node B commits, in
 * order, without a gap. Node A's engine is off, so every thread runs on node B. Uses {@code
 * ORCHESTRO_TEST_POSTGRES_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/test}, user {@code
 * postgres}) in a schema of its own; skipped when unreachable, except under {@code CI=true}.
 */
class EventsAcrossNodesTest {

  private static final String URL =
      env("ORCHESTRO_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
  private static final String USER = env("ORCHESTRO_TEST_POSTGRES_USER", "postgres");
  private static final String PASSWORD = env("ORCHESTRO_TEST_POSTGRES_PASSWORD", "");
  private static final String SCHEMA =
      "events_nodes_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

  @BeforeAll
  static void requirePostgres() {
    try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA " + SCHEMA);
    } catch (SQLException unreachable) {
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail("PostgreSQL at " + URL + " is required under CI=true", unreachable);
      }
      Assumptions.abort("PostgreSQL at " + URL + " is not reachable: " + unreachable.getMessage());
    }
  }

  @AfterAll
  static void dropSchema() {
    try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
        Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    } catch (SQLException unreachable) {
      // skipped: nothing was created
    }
  }

  @Test
  void aClientOfOneNodeSeesEveryEventAnotherNodeCommits() throws Exception {
    try (ConfigurableApplicationContext nodeA = start("--orchestro.engine.enabled=false");
        ConfigurableApplicationContext nodeB = start()) {
      ApiClient a = api(nodeA);
      ApiClient b = api(nodeB);
      try (SseClient watching = SseClient.open(a.uri("/api/events"), null)) {
        for (int i = 0; i < 3; i++) {
          assertThat(
                  b.post(
                          "/api/threads",
                          "{\"prompt\": \"n" + i + "\", \"workflow_type\": \"general\"}")
                      .status())
              .isEqualTo(201);
        }
        // general: created, started, two steps started and completed, completed
        List<Event> events = watching.take(3 * 7);

        long first = events.get(0).id();
        assertThat(events)
            .extracting(Event::id)
            .containsExactly(
                LongStream.range(first, first + events.size()).boxed().toArray(Long[]::new));
        assertThat(events).filteredOn(event -> event.name().equals("thread_completed")).hasSize(3);
      }
    }
  }

  private static ApiClient api(ConfigurableApplicationContext node) {
    return new ApiClient(
        Integer.parseInt(node.getEnvironment().getRequiredProperty("local.server.port")));
  }

  private static ConfigurableApplicationContext start(String... more) {
    String[] common = {
      "--spring.datasource.url="
          + URL
          + (URL.contains("?") ? "&" : "?")
          + "currentSchema="
          + SCHEMA,
      "--spring.datasource.username=" + USER,
      "--spring.datasource.password=" + PASSWORD,
      "--spring.flyway.schemas=" + SCHEMA,
      "--server.port=0"
    };
    String[] arguments = new String[common.length + more.length];
    System.arraycopy(common, 0, arguments, 0, common.length);
    System.arraycopy(more, 0, arguments, common.length, more.length);
    return new SpringApplicationBuilder(OrchestroThreadsApplication.class)
        .web(WebApplicationType.SERVLET)
        .run(arguments);
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
