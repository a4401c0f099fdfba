package io.orchestro.threads.adapters.persistence.json;

import static io.orchestro.threads.domain.TestWorkflows.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestro.threads.adapters.persistence.ThreadClaimsContractTest;
import io.orchestro.threads.domain.TestWorkflows;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.WorkflowThread;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The claims contract on JSON files, where the claims live in the thread files; each store (the
 * racing test opens several) on a directory of its own. Plus what a restart keeps of the claims.
 */
class JsonFileThreadClaimsTest extends ThreadClaimsContractTest<JsonFileWorkflowThreadStore> {

  private static final Instant NOW = T0.plusSeconds(60);
  private static final Instant LEASE_END = NOW.plusSeconds(15);

  @RegisterExtension final FreshStores stores = new FreshStores();
  private JsonStoreDirectory opened;

  @Override
  protected JsonFileWorkflowThreadStore emptyStore() {
    opened = stores.openEmpty();
    return opened.threads();
  }

  private JsonFileWorkflowThreadStore reopen() {
    opened = stores.reopen(opened);
    return opened.threads();
  }

  @Test
  void aClaimOutlivesARestartUntilItsLeaseEnds() {
    ThreadId id = runningOnNodeA();

    JsonFileWorkflowThreadStore restarted = reopen();

    assertThat(restarted.claim("node-b", LEASE_END.minusMillis(1), LEASE_END.plusSeconds(15), 10))
        .isEmpty();
    List<WorkflowThread> taken =
        restarted.claim("node-b", LEASE_END, LEASE_END.plusSeconds(15), 10);
    assertThat(taken).extracting(WorkflowThread::id).containsExactly(id);
    assertThat(taken.get(0).runningStep()).isPresent();
  }

  @Test
  void aRestartedNodeTakesOverAtOnceThreadsLeftClaimedEvenPaused() {
    ThreadId id = runningOnNodeA();
    WorkflowThread paused = store.find(id).orElseThrow();
    paused.pause(NOW.plusSeconds(1));
    store.update(paused);

    JsonFileWorkflowThreadStore restarted = reopen();

    assertThat(restarted.expireOtherOwners("node-b")).isEqualTo(1);
    List<WorkflowThread> taken = restarted.claim("node-b", NOW.plusSeconds(2), LEASE_END, 10);
    assertThat(taken).extracting(WorkflowThread::status).containsExactly(ThreadStatus.PAUSED);
  }

  /** A new thread claimed by node-a, which has started its first step. */
  private ThreadId runningOnNodeA() {
    ThreadId id = store.insert(TestWorkflows.pendingThread()).id();
    WorkflowThread claimed = store.claim("node-a", NOW, LEASE_END, 10).get(0);
    claimed.start(NOW);
    claimed.startStep("a", NOW);
    store.updateIfHeld(claimed, "node-a");
    return id;
  }

  @Test
  void aRetryBackoffOutlivesARestart() {
    ThreadId id = store.insert(TestWorkflows.pendingThread()).id();
    store.claim("node-a", NOW, LEASE_END, 10);
    Instant notBefore = NOW.plus(Duration.ofMinutes(5));
    store.release(id, "node-a", notBefore);

    JsonFileWorkflowThreadStore restarted = reopen();

    assertThat(restarted.expireOtherOwners("node-b")).isZero();
    assertThat(restarted.claim("node-b", notBefore.minusMillis(1), notBefore.plusSeconds(15), 10))
        .isEmpty();
    assertThat(restarted.claim("node-b", notBefore, notBefore.plusSeconds(15), 10)).hasSize(1);
  }
}
