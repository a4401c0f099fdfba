package io.orchestro.threads.adapters.persistence.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestro.threads.adapters.persistence.WorkerTaskStoreContractTest;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.WorkerTask;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** The worker task store contract on H2 with the Flyway schema; a thread's tasks go with it. */
@DataJpaTest(showSql = false)
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
class JdbcWorkerTaskStoreTest extends WorkerTaskStoreContractTest {

  @Autowired private DataSource dataSource;
  @Autowired private JdbcThreadEventLog eventLog;

  @Override
  protected void openEmptyStores() {
    threads = SqlTestConfiguration.emptyStore(dataSource, eventLog);
    tasks = new JdbcWorkerTaskStore(dataSource);
  }

  @Test
  void aDeletedThreadsTasksAreDeletedWithIt() {
    ThreadId thread = storedThread();
    WorkerTask offered = tasks.offer(task(thread, "q", 1, T0));

    var stored = threads.find(thread).orElseThrow();
    stored.delete(T0);
    threads.delete(stored);

    assertThat(tasks.find(offered.taskId())).isEmpty();
  }
}
