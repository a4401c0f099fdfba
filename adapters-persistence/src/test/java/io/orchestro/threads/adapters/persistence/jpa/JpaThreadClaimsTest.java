package io.orchestro.threads.adapters.persistence.jpa;

import io.orchestro.threads.adapters.persistence.ThreadClaimsContractTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The claims contract on H2 with the Flyway schema: the claims are two columns of the thread rows,
 * so the store under test is the thread store itself. The test runs outside a transaction so that
 * each claim, renewal and fenced write commits on its own, as in the service, and racing claimers
 * see each other's row locks.
 */
@DataJpaTest(showSql = false)
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
class JpaThreadClaimsTest extends ThreadClaimsContractTest<JpaWorkflowThreadStore> {

  @Autowired private WorkflowThreadRepository threads;
  @Autowired private ThreadEventRepository events;
  @Autowired private PlatformTransactionManager transactionManager;
  @Autowired private JpaThreadEventLog eventLog;

  @Override
  protected JpaWorkflowThreadStore emptyStore() {
    threads.deleteAllInBatch();
    events.deleteAllInBatch();
    return new JpaWorkflowThreadStore(threads, events, eventLog, transactionManager);
  }
}
