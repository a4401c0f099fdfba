package io.orchestro.threads.adapters.persistence.sql;

import static io.orchestro.threads.domain.TestWorkflows.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestro.threads.adapters.persistence.PostgresTestDatabase;
import io.orchestro.threads.domain.Caller;
import io.orchestro.threads.domain.StepStatus;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadStep;
import io.orchestro.threads.domain.WorkflowThread;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Migration V7_1 on H2 and PostgreSQL: threads written by the schema before it, with their steps in
 * a JSON column, read back the same from the step rows afterwards, and run on from there.
 */
class StepRowsMigrationTest {

  /** The steps column as the store wrote it before V7: the API's field names, times in UTC. */
  private static final String OLD_STEPS =
      "[{\"name\":\"plan\",\"agent\":\"delay\",\"status\":\"completed\",\"attempts\":2,"
          + "\"failures\":1,\"started_at\":\"2026-11-28T10:00:00.010Z\","
          + "\"finished_at\":\"2026-11-28T10:00:00.020123Z\","
          + "\"output\":{\"text\":\"Zürich\",\"n\":10000000000,\"list\":[1,null,2.5]},"
          + "\"error\":\"first try timed out\"},"
          + "{\"name\":\"draft\",\"agent\":\"echo\",\"status\":\"pending\",\"attempts\":0,"
          + "\"failures\":0,\"started_at\":null,\"finished_at\":null,\"output\":null,"
          + "\"error\":null}]";

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void movesTheStepsOfThreadsStoredBeforeIntoRowsAndDropsTheColumn(String database) {
    inFreshDatabase(
        database,
        dataSource -> {
          migrate(dataSource, database, "5");
          UUID id = UUID.randomUUID();
          insertOldThread(dataSource, id);

          // the move, and the old column gone with it
          migrate(dataSource, database, "7.1");
          JdbcTemplate jdbc = new JdbcTemplate(dataSource);
          assertThatThrownBy(() -> jdbc.queryForList("select steps from workflow_thread"))
              .hasMessageContaining("steps");

          // then the later migrations, which today's store code needs (an event's owner, actor)
          migrate(dataSource, database, "latest");

          JdbcWorkflowThreadStore store =
              new JdbcWorkflowThreadStore(dataSource, new JdbcThreadEventLog(dataSource));
          WorkflowThread thread = store.find(new ThreadId(id)).orElseThrow();
          assertThat(thread.owner()).isEqualTo(Caller.LOCAL_OWNER);
          assertThat(thread.steps())
              .containsExactly(
                  new ThreadStep(
                      "plan",
                      "delay",
                      StepStatus.COMPLETED,
                      2,
                      1,
                      Instant.parse("2026-11-28T10:00:00.010Z"),
                      Instant.parse("2026-11-28T10:00:00.020123Z"),
                      Map.of("text", "Zürich", "n", 10_000_000_000L, "list", listOf(1, null, 2.5)),
                      "first try timed out"),
                  new ThreadStep(
                      "draft", "echo", StepStatus.PENDING, 0, 0, null, null, null, null));
          // the migrated thread runs on: its next step's start writes that step's row
          thread.startStep("draft", T0.plusSeconds(1));
          store.update(thread);
          assertThat(store.find(new ThreadId(id)).orElseThrow().step("draft").orElseThrow())
              .extracting(ThreadStep::status, ThreadStep::attempts)
              .containsExactly(StepStatus.RUNNING, 1);
        });
  }

  private static void insertOldThread(DataSource dataSource, UUID id) {
    new JdbcTemplate(dataSource)
        .update(
            "insert into workflow_thread (thread_id, title, workflow_type, workflow_version,"
                + " status, request, steps, created_at, last_updated, start_time, version)"
                + " values (?, 'old', 'test', 1, 'running', ?, ?, ?, ?, ?, 3)",
            id,
            "{\"prompt\":\"old\",\"workflow_type\":null,\"title\":null,\"input\":{}}",
            OLD_STEPS,
            SqlTimes.utc(T0),
            SqlTimes.utc(T0.plusMillis(20)),
            SqlTimes.utc(T0.plusMillis(10)));
  }

  private static void migrate(DataSource dataSource, String database, String target) {
    Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/migration", "classpath:db/vendor/" + database)
        .target(target)
        .load()
        .migrate();
  }

  private static void inFreshDatabase(String database, Consumer<DataSource> test) {
    if (database.equals("h2")) {
      // one connection throughout: H2 2.x keeps the session that made a check constraint's value
      // list in it, and a session closed after the migrations fails the next insert's check
      SingleConnectionDataSource h2 =
          new SingleConnectionDataSource("jdbc:h2:mem:steps-migration-" + UUID.randomUUID(), true);
      try {
        test.accept(h2);
      } finally {
        h2.destroy();
      }
      return;
    }
    PostgresTestDatabase.serverOrSkip();
    PostgresTestDatabase.Schema schema = PostgresTestDatabase.newSchema("steps_migration");
    try {
      PostgresTestDatabase.ConnectionDetails at = schema.connection();
      test.accept(new DriverManagerDataSource(at.url(), at.user(), at.password()));
    } finally {
      schema.drop();
    }
  }

  private static List<Object> listOf(Object... values) {
    return Arrays.asList(values);
  }
}
