package io.orchestro.threads.adapters.persistence.sql;

import static io.orchestro.threads.domain.TestWorkflows.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestro.threads.adapters.persistence.PostgresTestDatabase.OnPostgres;
import io.orchestro.threads.domain.ListThreadsQuery;
import io.orchestro.threads.domain.TestWorkflows;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.WorkflowThread;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** The thread store contract, and the database store's own tests, on PostgreSQL. */
@OnPostgres
class PostgresWorkflowThreadStoreTest extends JdbcWorkflowThreadStoreTest {

  @Autowired private DataSource dataSource;

  @Test
  void runsOnPostgresqlInASchemaOfItsOwn() throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      assertThat(connection.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
      assertThat(connection.getSchema()).startsWith("orchestro_run_");
    }
  }

  /**
   * The list's totals come from the counts the database keeps (V23): after single and batch
   * inserts, moves from status to status, a change of type, deletes and the folding of many rows
   * into one per key, every total is the count of the matching rows.
   */
  @Test
  void theCountsTheDatabaseKeepsAgreeWithTheRowsAfterEveryKindOfWrite() {
    List<WorkflowThread> batch = TestWorkflows.pendingThreads(40);
    store.insertAll(batch);
    for (int i = 0; i < 3; i++) {
      store.insert(
          WorkflowThread.create(
              ThreadId.generate(),
              "bob",
              TestWorkflows.request("bob's"),
              TestWorkflows.definition("other", "a"),
              T0));
    }
    for (WorkflowThread each : batch.subList(0, 35)) {
      WorkflowThread loaded = store.find(each.id()).orElseThrow();
      loaded.pause(T0.plusSeconds(1));
      store.update(loaded);
    }
    for (WorkflowThread each : batch.subList(30, 40)) {
      WorkflowThread loaded = store.find(each.id()).orElseThrow();
      loaded.delete(T0.plusSeconds(2));
      assertThat(store.delete(loaded)).isTrue();
    }
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    jdbc.update("update workflow_thread set workflow_type = 'renamed' where owner = 'bob'");

    List<ListThreadsQuery> filters =
        List.of(
            new ListThreadsQuery(Set.of(), null, 0, 1),
            new ListThreadsQuery(Set.of(ThreadStatus.PAUSED), null, 0, 1),
            new ListThreadsQuery(Set.of(ThreadStatus.PENDING), "test", 0, 1),
            new ListThreadsQuery(Set.of(ThreadStatus.PENDING, ThreadStatus.PAUSED), "test", 0, 1),
            new ListThreadsQuery(Set.of(), "renamed", 0, 1),
            new ListThreadsQuery(Set.of(), "other", 0, 1));
    List<Long> expected = List.of(33L, 30L, 0L, 30L, 3L, 0L);
    // twice: the first count of all threads sums more rows than it keeps, and folds them
    for (int round = 0; round < 2; round++) {
      assertThat(filters.stream().map(filter -> store.list(filter).total()).toList())
          .as("round %d", round)
          .isEqualTo(expected);
    }
    assertThat(jdbc.queryForObject("select count(*) from thread_count", Long.class))
        .as("one row per key once folded")
        .isEqualTo(
            jdbc.queryForObject(
                "select count(*) from (select distinct workflow_type, status, owner"
                    + " from thread_count) keys",
                Long.class));
  }

  /** The test server lets the migration create pg_trgm, so the text search has its index. */
  @Test
  void theTextSearchHasItsTrigramIndex() {
    String definition =
        new JdbcTemplate(dataSource)
            .queryForObject(
                "select indexdef from pg_indexes where indexname = 'workflow_thread_search'"
                    + " and schemaname = current_schema()",
                String.class);
    assertThat(definition).contains("gin", "gin_trgm_ops", "search_text");
  }
}
