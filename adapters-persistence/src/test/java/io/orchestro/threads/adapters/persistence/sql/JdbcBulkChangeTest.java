package io.orchestro.threads.adapters.persistence.sql;

import io.orchestro.threads.adapters.persistence.BulkChangeContractTest;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The bulk change over 10,000 threads on H2 with the Flyway schema (and, through {@link
 * PostgresBulkChangeTest}, on PostgreSQL); no test transaction, so each thread's write commits on
 * its own as in production.
 */
@JdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
class JdbcBulkChangeTest extends BulkChangeContractTest {

  @Autowired private DataSource dataSource;
  private JdbcThreadEventLog eventLog;

  @Override
  protected void openEmpty() {
    eventLog = new JdbcThreadEventLog(dataSource);
    threads = SqlTestConfiguration.emptyStore(dataSource, eventLog);
    events = eventLog;
  }

  @Override
  protected void makeCommittedEventsReadable() {
    eventLog.numberCommitted();
  }
}
