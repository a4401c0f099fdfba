package io.orchestro.threads.adapters.persistence.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestro.threads.adapters.persistence.PostgresTestDatabase;
import io.orchestro.threads.domain.ListThreadsQuery;
import io.orchestro.threads.domain.TestWorkflows;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.WorkflowThread;
import java.util.Set;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Migration V23 on PostgreSQL: the threads stored before it are in the counts it starts, and the
 * counts follow the writes after it.
 */
class ThreadCountsMigrationTest {

  @Test
  void countsTheThreadsStoredBeforeItAndThoseWrittenAfter() {
    PostgresTestDatabase.serverOrSkip();
    PostgresTestDatabase.Schema schema = PostgresTestDatabase.newSchema("counts_migration");
    try {
      PostgresTestDatabase.ConnectionDetails at = schema.connection();
      DataSource dataSource = new DriverManagerDataSource(at.url(), at.user(), at.password());
      migrate(dataSource, "18"); // the last migration before V23 on PostgreSQL
      JdbcWorkflowThreadStore store =
          new JdbcWorkflowThreadStore(dataSource, new JdbcThreadEventLog(dataSource));
      store.insertAll(TestWorkflows.pendingThreads(3));

      migrate(dataSource, "latest");

      ListThreadsQuery pending = new ListThreadsQuery(Set.of(ThreadStatus.PENDING), "test", 0, 1);
      assertThat(store.list(pending).total()).isEqualTo(3);
      WorkflowThread after = store.insert(TestWorkflows.pendingThread());
      assertThat(store.list(pending).total()).isEqualTo(4);
      after.pause(TestWorkflows.T0.plusSeconds(1));
      store.update(after);
      assertThat(store.list(pending).total()).isEqualTo(3);
      store.close();
    } finally {
      schema.drop();
    }
  }

  private static void migrate(DataSource dataSource, String target) {
    Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/migration", "classpath:db/vendor/postgresql")
        .target(target)
        .load()
        .migrate();
  }
}
