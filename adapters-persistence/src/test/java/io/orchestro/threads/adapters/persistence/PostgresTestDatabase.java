package io.orchestro.threads.adapters.persistence;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfiguration;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A real PostgreSQL for the tests, in a schema of its own per test run so that runs never collide.
 *
 * <p>Where the server comes from, first match wins:
 *
 * <ol>
 *   <li>{@code ORCHESTRO_TEST_POSTGRES_URL} (with {@code ORCHESTRO_TEST_POSTGRES_USER}, default
 *       {@code postgres}, and {@code ORCHESTRO_TEST_POSTGRES_PASSWORD}, default empty) when set;
 *   <li>a throw-away container (Testcontainers) when a Docker engine answers;
 *   <li>{@code jdbc:postgresql://127.0.0.1:5432/test}, user {@code postgres}.
 * </ol>
 *
 * <p>When no server answers, the tests that need one ({@link Required}) are skipped with a message
 * saying how to provide one; under {@code CI=true} they fail instead, so that a build server never
 * passes by skipping them.
 */
public final class PostgresTestDatabase {

  public static final String URL_VARIABLE = "ORCHESTRO_TEST_POSTGRES_URL";
  public static final String USER_VARIABLE = "ORCHESTRO_TEST_POSTGRES_USER";
  public static final String PASSWORD_VARIABLE = "ORCHESTRO_TEST_POSTGRES_PASSWORD";
  private static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test";

  /** Where to connect: a server, or one schema of it (then the URL selects that schema). */
  public record ConnectionDetails(String url, String user, String password) {

    public Connection open() throws SQLException {
      return DriverManager.getConnection(url, user, password);
    }

    /** The Spring properties that point the application at this database. */
    public Map<String, Object> springProperties() {
      return Map.of(
          "spring.datasource.url", url,
          "spring.datasource.username", user,
          "spring.datasource.password", password);
    }
  }

  /** A schema created for one test run; {@link #drop()} removes it with everything in it. */
  public record Schema(String name, ConnectionDetails connection, ConnectionDetails server) {

    public void drop() {
      try (Connection admin = server.open();
          Statement statement = admin.createStatement()) {
        statement.execute("drop schema if exists " + name + " cascade");
      } catch (SQLException cannotDrop) {
        throw new IllegalStateException("could not drop test schema " + name, cannotDrop);
      }
    }
  }

  private static ConnectionDetails server;
  private static String unavailable;
  private static Schema shared;

  private PostgresTestDatabase() {}

  /**
   * The server for this run.
   *
   * @throws IllegalStateException when none answers; tests guarded by {@link Required} never see
   *     this
   */
  public static ConnectionDetails server() {
    ConnectionDetails found = locate();
    if (found == null) {
      throw new IllegalStateException(unavailableMessage());
    }
    return found;
  }

  private static synchronized ConnectionDetails locate() {
    if (server == null && unavailable == null) {
      locateServer();
    }
    return server;
  }

  private static String unavailableMessage() {
    return "no PostgreSQL for the tests: "
        + unavailable
        + ". Start one at "
        + DEFAULT_URL
        + " (user postgres), or set "
        + URL_VARIABLE
        + " (and "
        + USER_VARIABLE
        + ", "
        + PASSWORD_VARIABLE
        + "), or run a Docker engine.";
  }

  /** Creates a schema of its own for the caller; the caller drops it when done. */
  public static Schema newSchema(String purpose) {
    ConnectionDetails at = server();
    String name =
        "orchestro_"
            + purpose.toLowerCase().replaceAll("[^a-z0-9]", "_")
            + "_"
            + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    try (Connection admin = at.open();
        Statement statement = admin.createStatement()) {
      // pg_trgm lives in whichever schema first created it, and dropping that schema (as every
      // test does with its own) would take the extension and every other schema's search index
      // with it; made in public first, it outlives the test schemas.
      statement.execute("create extension if not exists pg_trgm schema public");
      statement.execute("create schema " + name);
    } catch (SQLException cannotCreate) {
      throw new IllegalStateException("could not create test schema " + name, cannotCreate);
    }
    String separator = at.url().contains("?") ? "&" : "?";
    return new Schema(
        name,
        new ConnectionDetails(
            at.url() + separator + "currentSchema=" + name, at.user(), at.password()),
        at);
  }

  /** One schema shared by every test of this JVM that asks for it, dropped when the JVM ends. */
  public static synchronized Schema sharedSchema() {
    if (shared == null) {
      Schema schema = newSchema("run");
      Runtime.getRuntime().addShutdownHook(new Thread(schema::drop, "drop-test-schema"));
      shared = schema;
    }
    return shared;
  }

  private static void locateServer() {
    String url = System.getenv(URL_VARIABLE);
    String user = System.getenv().getOrDefault(USER_VARIABLE, "postgres");
    String password = System.getenv().getOrDefault(PASSWORD_VARIABLE, "");
    if (url == null && DockerClientFactory.instance().isDockerAvailable()) {
      PostgreSQLContainer container = new PostgreSQLContainer("postgres:15-alpine");
      // stopped by Testcontainers' own reaper when the JVM ends
      container.start();
      server =
          new ConnectionDetails(
              container.getJdbcUrl(), container.getUsername(), container.getPassword());
      return;
    }
    ConnectionDetails candidate =
        new ConnectionDetails(url != null ? url : DEFAULT_URL, user, password);
    DriverManager.setLoginTimeout(5);
    try (Connection probe = candidate.open()) {
      server = candidate;
    } catch (SQLException unreachable) {
      unavailable = candidate.url() + " did not answer (" + unreachable.getMessage() + ")";
    }
  }

  /**
   * Runs a Spring test on PostgreSQL, in the {@linkplain #sharedSchema() run's schema}: skipped (or
   * failed under {@code CI=true}) before any Spring context starts when no server answers.
   */
  @Target(ElementType.TYPE)
  @Retention(RetentionPolicy.RUNTIME)
  @ExtendWith(Required.class)
  @ContextConfiguration(initializers = InSharedSchema.class)
  public @interface OnPostgres {}

  /**
   * The server for this run, for a single test that needs it (a case of a parameterized test, say):
   * when none answers, the test is skipped, saying how to provide one; under {@code CI=true} it
   * fails instead.
   */
  public static ConnectionDetails serverOrSkip() {
    ConnectionDetails found = locate();
    Prerequisite.require(found != null, PostgresTestDatabase::unavailableMessage);
    return found;
  }

  /**
   * Skips a test class that needs PostgreSQL when none answers, saying how to provide one; under
   * {@code CI=true} fails it instead.
   */
  public static final class Required implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      ConnectionDetails found = locate();
      return Prerequisite.check(
          found != null,
          found == null ? null : "PostgreSQL at " + found.url(),
          PostgresTestDatabase::unavailableMessage);
    }
  }

  /** Points the application's DataSource at the run's schema. */
  public static final class InSharedSchema
      implements ApplicationContextInitializer<ConfigurableApplicationContext> {
    @Override
    public void initialize(ConfigurableApplicationContext context) {
      context
          .getEnvironment()
          .getPropertySources()
          .addFirst(
              new MapPropertySource(
                  "postgres-test-schema", sharedSchema().connection().springProperties()));
    }
  }
}
