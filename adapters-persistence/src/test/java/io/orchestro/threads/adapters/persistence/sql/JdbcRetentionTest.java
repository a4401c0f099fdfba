package io.orchestro.threads.adapters.persistence.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestro.threads.adapters.persistence.RetentionContractTest;
import io.orchestro.threads.domain.TestWorkflows;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.WorkflowThread;
import java.time.Instant;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Retention on H2 with the Flyway schema (and, through {@link PostgresRetentionTest}, on
 * PostgreSQL), plus what the database store does beyond the contract: a deleted thread's events and
 * rows go with it in its transaction.
 */
@JdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
class JdbcRetentionTest extends RetentionContractTest {

  @Autowired private DataSource dataSource;
  private JdbcThreadEventLog eventLog;
  private JdbcTemplate jdbc;

  @Override
  protected void openEmpty() {
    jdbc = new JdbcTemplate(dataSource);
    eventLog = new JdbcThreadEventLog(dataSource);
    threads = SqlTestConfiguration.emptyStore(dataSource, eventLog);
    jdbc.update("delete from webhook");
    jdbc.update("update event_log_pruned set up_to = 0");
    events = eventLog;
    webhooks = new JdbcWebhookStore(dataSource);
  }

  @Override
  protected void makeCommittedEventsReadable() {
    eventLog.numberCommitted();
  }

  @Test
  void aDeletedThreadLeavesOnlyItsThreadDeletedEventAndNoRow() {
    WorkflowThread completed = threads.insert(TestWorkflows.threadIn(ThreadStatus.COMPLETED));
    completed.delete(Instant.now());

    assertThat(threads.deleteUnchanged(completed)).isTrue();
    eventLog.numberCommitted();

    assertThat(
            jdbc.queryForList(
                "select type from thread_event where thread_id = ?",
                String.class,
                completed.id().value()))
        .containsExactly("thread_deleted");
    for (String table : new String[] {"workflow_thread", "thread_step"}) {
      assertThat(
              jdbc.queryForObject(
                  "select count(*) from " + table + " where thread_id = ?",
                  Integer.class,
                  completed.id().value()))
          .as(table)
          .isZero();
    }
  }
}
