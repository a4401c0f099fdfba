package io.orchestro.threads.application.engine;

import static io.orchestro.threads.application.engine.EngineTestBed.LEASE;
import static io.orchestro.threads.application.engine.EngineTestBed.NODE;
import static io.orchestro.threads.application.engine.EngineTestBed.POLL_INTERVAL;
import static io.orchestro.threads.application.engine.EngineTestBed.eventually;
import static io.orchestro.threads.application.testing.WorkflowCommands.step;
import static io.orchestro.threads.application.testing.WorkflowCommands.workflow;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestro.threads.application.port.in.CreateThreadCommand;
import io.orchestro.threads.application.port.in.CreateThreadUseCase.CreatedThread;
import io.orchestro.threads.application.port.out.EngineSignal;
import io.orchestro.threads.application.port.out.Limit;
import io.orchestro.threads.application.testing.InMemoryThreadStore.Claim;
import io.orchestro.threads.domain.Caller;
import io.orchestro.threads.domain.StepStatus;
import io.orchestro.threads.domain.ThreadEventType;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadRequest;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.WorkflowThread;
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
  void aThreadCreatedWhileTheEngineHasRoomIsStoredWithItsFirstStepStartedAndRunsThatAttempt() {
    ThreadEngine engine = bed.startEngine();
    awaitTakingNewThreads(engine);

    WorkflowThread created =
        bed.threads.create(Caller.LOCAL_ADMIN, gated("started as stored")).thread();

    ThreadId id = created.id();
    assertThat(created.status()).isEqualTo(ThreadStatus.RUNNING);
    assertThat(created.version()).isZero();
    assertThat(created.step("work").orElseThrow().status()).isEqualTo(StepStatus.RUNNING);
    assertThat(bed.events(id))
        .containsExactly(
            ThreadEventType.THREAD_CREATED,
            ThreadEventType.THREAD_STARTED,
            ThreadEventType.STEP_STARTED);
    eventually().until(() -> bed.gate.hasStarted(id.toString(), "work"));
    bed.gate.open(id.toString(), "work");
    eventually().until(() -> bed.thread(id).status() == ThreadStatus.COMPLETED);
    // the attempt stored at create is the one that ran: not taken for one cut short by a crash
    assertThat(bed.attempts(id, "work")).isEqualTo(1);
    assertThat(bed.events(id))
        .containsExactly(
            ThreadEventType.THREAD_CREATED,
            ThreadEventType.THREAD_STARTED,
            ThreadEventType.STEP_STARTED,
            ThreadEventType.STEP_COMPLETED,
            ThreadEventType.THREAD_COMPLETED);
  }

  @Test
  void aBatchIsStoredClaimedAndStartedAsFarAsTheEngineHasPlacesTheRestWaitsForTheDispatcher() {
    ThreadEngine engine =
        bed.startEngine(new EngineSettings(NODE, 2, LEASE, POLL_INTERVAL, 64, false));
    awaitTakingNewThreads(engine);
    CreateThreadCommand command = gated("one of three");

    List<WorkflowThread> created =
        bed.threads.createAll(Caller.LOCAL_ADMIN, List.of(command, command, command)).stream()
            .map(CreatedThread::thread)
            .toList();

    assertThat(created)
        .extracting(WorkflowThread::status)
        .containsExactly(ThreadStatus.RUNNING, ThreadStatus.RUNNING, ThreadStatus.PENDING);
    List<ThreadId> ids = created.stream().map(WorkflowThread::id).toList();
    assertThat(bed.store.claimOf(ids.get(0)).owner()).isEqualTo(NODE);
    assertThat(bed.store.claimOf(ids.get(1)).owner()).isEqualTo(NODE);
    assertThat(bed.store.claimOf(ids.get(2)).owner()).isNull();
    for (ThreadId id : ids) {
      eventually().until(() -> bed.gate.hasStarted(id.toString(), "work"));
      bed.gate.open(id.toString(), "work");
    }
    for (ThreadId id : ids) {
      eventually().until(() -> bed.thread(id).status() == ThreadStatus.COMPLETED);
      assertThat(bed.attempts(id, "work")).isEqualTo(1);
    }
    assertThat(claimedByTheDispatcher())
        .contains(ids.get(2))
        .doesNotContain(ids.get(0), ids.get(1));
  }

  @Test
  void aThreadWhoseFirstStepNeedsAPlaceUnderALimitIsStoredClaimedButPendingAndRunsOnceItHasIt() {
    ThreadEngine engine =
        bed.startEngine(
            new EngineSettings(NODE, 4, LEASE, POLL_INTERVAL, 64, false),
            new ThreadLimits(
                Map.of("gate", Limit.of("agent:gate", 1, null)),
                Map.of(),
                new InProcessLimitLeases()));
    awaitTakingNewThreads(engine);

    WorkflowThread created =
        bed.threads.create(Caller.LOCAL_ADMIN, gated("under a limit")).thread();

    ThreadId id = created.id();
    assertThat(created.status()).isEqualTo(ThreadStatus.PENDING);
    assertThat(bed.store.claimOf(id).owner()).isEqualTo(NODE);
    eventually().until(() -> bed.gate.hasStarted(id.toString(), "work"));
    bed.gate.open(id.toString(), "work");
    eventually().until(() -> bed.thread(id).status() == ThreadStatus.COMPLETED);
    assertThat(bed.attempts(id, "work")).isEqualTo(1);
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

  private static CreateThreadCommand gated(String prompt) {
    return new CreateThreadCommand(null, new ThreadRequest(prompt, "gated", null, null));
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
