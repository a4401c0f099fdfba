package io.orchestro.threads.application.engine;

import static io.orchestro.threads.application.engine.EngineTestBed.LEASE;
import static io.orchestro.threads.application.engine.EngineTestBed.NODE;
import static io.orchestro.threads.application.engine.EngineTestBed.POLL_INTERVAL;
import static io.orchestro.threads.application.engine.EngineTestBed.eventually;
import static io.orchestro.threads.application.testing.WorkflowCommands.step;
import static io.orchestro.threads.application.testing.WorkflowCommands.workflow;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestro.threads.application.port.in.CreateThreadCommand;
import io.orchestro.threads.application.port.out.EngineSignal;
import io.orchestro.threads.application.testing.InMemoryThreadStore.Claim;
import io.orchestro.threads.domain.Caller;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadRequest;
import io.orchestro.threads.domain.ThreadStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A thread created while its node's engine has a free place and knows of no thread waiting for one
 * is stored claimed by that node and runs at once, with no claim of the dispatcher's (a write and a
 * read saved per create); otherwise it is stored unclaimed and waits its turn.
 */
@Timeout(60)
class ThreadEngineClaimAtCreateTest {

  private final EngineTestBed bed = new EngineTestBed();

  @BeforeEach
  void claimingAtCreate() {
    bed.claimsAtCreate = true;
    bed.workflows.put(workflow("gated", step("work", "gate", Map.of())));
  }

  @AfterEach
  void stopEngines() {
    bed.close();
  }

  @Test
  void aThreadCreatedWhileTheEngineHasRoomIsStoredClaimedAndRunsWithoutAClaimOfItsOwn() {
    ThreadEngine engine = bed.startEngine();
    awaitTakingNewThreads(engine);

    ThreadId id = bed.create("gated", "claimed as it is stored");

    assertThat(bed.store.claimOf(id).owner()).isEqualTo(NODE);
    eventually().until(() -> bed.gate.hasStarted(id.toString(), "work"));
    bed.gate.open(id.toString(), "work");
    eventually().until(() -> bed.thread(id).status() == ThreadStatus.COMPLETED);
    eventually().until(() -> engine.runningThreads() == 0);
    assertThat(claimedByTheDispatcher()).doesNotContain(id);
    assertThat(bed.store.claimOf(id)).isEqualTo(new Claim(null, null));
  }

  @Test
  void aThreadCreatedWhileEveryPlaceIsTakenIsStoredUnclaimedAndRunsOnceAPlaceIsFree() {
    ThreadEngine engine =
        bed.startEngine(new EngineSettings(NODE, 1, LEASE, POLL_INTERVAL, 64, false));
    awaitTakingNewThreads(engine);
    ThreadId first = bed.create("gated", "takes the only place");
    eventually().until(() -> bed.gate.hasStarted(first.toString(), "work"));

    ThreadId second = bed.create("gated", "waits for it");

    assertThat(bed.store.claimOf(second).owner()).isNull();
    bed.gate.open(first.toString(), "work");
    eventually().until(() -> bed.gate.hasStarted(second.toString(), "work"));
    assertThat(claimedByTheDispatcher()).contains(second).doesNotContain(first);
    bed.gate.open(second.toString(), "work");
    eventually().until(() -> bed.thread(second).status() == ThreadStatus.COMPLETED);
  }

  @Test
  void aThreadWhoseStartTimeIsAheadIsStoredUnclaimedUntilThen() {
    ThreadEngine engine = bed.startEngine();
    awaitTakingNewThreads(engine);
    Instant startAt = bed.clock.instant().plus(Duration.ofHours(2));

    ThreadId id =
        bed.threads
            .create(
                Caller.LOCAL_ADMIN,
                new CreateThreadCommand(
                    null, new ThreadRequest("later", "gated", null, null, null, startAt)))
            .thread()
            .id();

    assertThat(bed.store.claimOf(id)).isEqualTo(new Claim(null, startAt));
    assertThat(engine.runningThreads()).isZero();
  }

  /**
   * Waits until the engine's first look at the store has found nothing to claim: from then on it
   * takes new threads as they are stored. A claim asked for only to see it given is handed back.
   */
  private static void awaitTakingNewThreads(ThreadEngine engine) {
    eventually()
        .until(
            () -> {
              EngineSignal.NewClaim probe = engine.claimNew();
              if (probe == null) {
                return false;
              }
              probe.cancel();
              return true;
            });
  }

  private List<ThreadId> claimedByTheDispatcher() {
    return bed.store.claimCalls().stream().flatMap(call -> call.claimed().stream()).toList();
  }
}
