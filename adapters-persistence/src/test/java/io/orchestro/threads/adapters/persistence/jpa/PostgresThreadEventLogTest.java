package io.orchestro.threads.adapters.persistence.jpa;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The event log tests of {@link JpaThreadEventLogTest} on a real PostgreSQL, where concurrent
 * transactions commit truly in parallel: {@code ORCHESTRO_TEST_POSTGRES_URL} (default {@code
 * jdbc:postgresql://127.0.0.1:5432/test}, user {@code postgres} or {@code
 * ORCHESTRO_TEST_POSTGRES_USER}), in a schema of its own that is dropped afterwards. Skipped when
 * the server cannot be reached, except under {@code CI=true}, where that fails the build.
 */
class PostgresThreadEventLogTest extends JpaThreadEventLogTest {

  private static final String URL =
      env("ORCHESTRO_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
  private static final String USER = env("ORCHESTRO_TEST_POSTGRES_USER", "postgres");
  private static final String PASSWORD = env("ORCHESTRO_TEST_POSTGRES_PASSWORD", "");
  private static final String SCHEMA =
      "event_log_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

  @BeforeAll
  static void requirePostgres() {
    try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD)) {
      connection.isValid(5);
    } catch (SQLException unreachable) {
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail("PostgreSQL at " + URL + " is required under CI=true", unreachable);
      }
      Assumptions.abort("PostgreSQL at " + URL + " is not reachable: " + unreachable.getMessage());
    }
  }

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> withSchema(URL, SCHEMA));
    registry.add("spring.datasource.username", () -> USER);
    registry.add("spring.datasource.password", () -> PASSWORD);
    registry.add("spring.flyway.schemas", () -> SCHEMA);
  }

  @AfterAll
  static void dropSchema() throws SQLException {
    try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
        Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    } catch (SQLException unreachable) {
      // the test was skipped: there is nothing to drop
    }
  }

  private static String withSchema(String url, String schema) {
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
