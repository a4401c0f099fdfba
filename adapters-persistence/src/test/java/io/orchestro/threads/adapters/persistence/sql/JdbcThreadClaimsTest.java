package io.orchestro.threads.adapters.persistence.sql;

import io.orchestro.threads.adapters.persistence.ThreadClaimsContractTest;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The claims contract on H2 with the Flyway schema: the claims are two columns of the thread rows,
 * so the store under test is the thread store itself. The test runs outside a transaction so that
 * each claim, renewal and fenced write commits on its own, as in the service, and racing claimers
 * see each other's row locks.
 */
@JdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
class JdbcThreadClaimsTest extends ThreadClaimsContractTest<JdbcWorkflowThreadStore> {

  @Autowired private DataSource dataSource;
  @Autowired private JdbcThreadEventLog eventLog;

  @Override
  protected JdbcWorkflowThreadStore emptyStore() {
    return SqlTestConfiguration.emptyStore(dataSource, eventLog);
  }
}
