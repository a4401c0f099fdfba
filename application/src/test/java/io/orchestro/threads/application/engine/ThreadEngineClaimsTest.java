package io.orchestro.threads.application.engine;

import static io.orchestro.threads.application.engine.EngineTestBed.LEASE;
import static io.orchestro.threads.application.engine.EngineTestBed.NODE;
import static io.orchestro.threads.application.engine.EngineTestBed.eventually;
import static io.orchestro.threads.application.engine.EngineTestBed.settings;
import static io.orchestro.threads.application.testing.WorkflowCommands.step;
import static io.orchestro.threads.application.testing.WorkflowCommands.workflow;
import static io.orchestro.threads.domain.ThreadEventType.STEP_COMPLETED;
import static io.orchestro.threads.domain.ThreadEventType.STEP_FAILED;
import static io.orchestro.threads.domain.ThreadEventType.STEP_STARTED;
import static io.orchestro.threads.domain.ThreadEventType.THREAD_COMPLETED;
import static io.orchestro.threads.domain.ThreadEventType.THREAD_DELETED;
import static io.orchestro.threads.domain.ThreadEventType.THREAD_FAILED;
import static io.orchestro.threads.domain.ThreadEventType.THREAD_PAUSED;
import static io.orchestro.threads.domain.ThreadEventType.THREAD_RECOVERED;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestro.threads.application.engine.RecordingObserver.Report;
import io.orchestro.threads.application.port.out.EngineSignal;
import io.orchestro.threads.application.port.out.ThreadClaims;
import io.orchestro.threads.application.service.ThreadService;
import io.orchestro.threads.application.testing.GateAgent;
import io.orchestro.threads.application.testing.InMemoryThreadStore.Claim;
import io.orchestro.threads.application.testing.StallingClaims;
import io.orchestro.threads.domain.Caller;
import io.orchestro.threads.domain.StepStatus;
import io.orchestro.threads.domain.ThreadEvent;
import io.orchestro.threads.domain.ThreadEventType;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.ThreadStep;
import io.orchestro.threads.domain.WorkflowThread;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Engines (nodes) sharing one store, as nodes share a PostgreSQL database: threads left running by
 * a dead node, threads taken over from a node that stalled, leases kept by renewals, and claims let
 * go at shutdown. The nodes know nothing of each other but what the store holds.
 */
@Timeout(60)
class ThreadEngineClaimsTest {

  private static final String DEAD_NODE = "node-dead";

  private final EngineTestBed bed = new EngineTestBed();

  @BeforeEach
  void workflows() {
    bed.workflows.put(
        workflow(
            "gate-then-echo",
            step("work", "gate", Map.of()),
            step("after", "echo", Map.of("template", "{{steps.work.output.attempt}}"))));
  }

  @AfterEach
  void stopEngines() {
    bed.close();
  }

  @Test
  void aThreadLeftRunningByADeadNodeIsRecoveredOnceItsLeasePassed() {
    ThreadId id = bed.create("gate-then-echo", "orphan");
    leftRunningByADeadNode(id);
    ThreadEngine engine = bed.startEngine();
    // the dead node's lease still holds
    bed.assertLeftAlone(engine, id);

    bed.clock.advance(LEASE.plusMillis(1));

    engine.runnable(id);
    eventually().until(() -> bed.attempts(id, "work") == 2);
    assertThat(bed.store.claimOf(id).owner()).isEqualTo(NODE);
    bed.gate.open(id.toString(), "work");
    eventually().until(() -> bed.thread(id).status() == ThreadStatus.COMPLETED);
    WorkflowThread done = bed.thread(id);
    // the cut-short attempt is counted, but it is not a failure
    assertThat(done.steps()).extracting(ThreadStep::attempts).containsExactly(2, 1);
    assertThat(done.steps()).extracting(ThreadStep::failures).containsExactly(0, 0);
    assertThat(done.step("after").orElseThrow().output()).containsEntry("text", "2");
    assertThat(bed.events(id))
        .containsSubsequence(STEP_STARTED, THREAD_RECOVERED, STEP_STARTED, STEP_COMPLETED)
        .doesNotContain(STEP_FAILED);
    assertThat(eventsOf(id, THREAD_RECOVERED))
        .extracting(ThreadEvent::step)
        .containsExactly("work");
    assertThat(bed.observer.count(Report.FAILED)).isZero();
    // a taken-over thread's wait is not a queue's: no claim lag is reported for it
    assertThat(bed.observer.claimed()).isEmpty();
  }

  @Test
  void aNodeThatTakesOverAtStartRecoversItsPreviousRunsThreadsAtOnce() {
    ThreadId id = bed.create("gate-then-echo", "left by the previous run");
    leftRunningByADeadNode(id);

    ThreadEngine engine = bed.startEngine(takingOverAtStart(NODE));

    // no lease had to pass: the clock has not moved
    eventually().until(() -> bed.attempts(id, "work") == 2);
    assertThat(bed.store.claimOf(id).owner()).isEqualTo(NODE);
    assertThat(bed.events(id)).endsWith(THREAD_RECOVERED, STEP_STARTED);
    bed.gate.open(id.toString(), "work");
    eventually().until(() -> bed.thread(id).status() == ThreadStatus.COMPLETED);
    eventually().until(() -> engine.runningThreads() == 0);
  }

  @Test
  void aPausedThreadWhoseStepWasCutShortSettlesAsPaused() {
    ThreadId id = bed.create("gate-then-echo", "paused while its node died");
    leftRunningByADeadNode(id);
    // paused while the step was in flight: the pause waits for that step's result
    bed.threads.pause(Caller.LOCAL_ADMIN, id);
    assertThat(bed.events(id)).doesNotContain(THREAD_PAUSED);

    ThreadEngine engine = bed.startEngine(takingOverAtStart(NODE));

    // the recovery is the cut-short step's end: it settles the pause, and nothing runs
    eventually().until(() -> bed.events(id).contains(THREAD_PAUSED));
    assertThat(bed.events(id)).endsWith(THREAD_RECOVERED, THREAD_PAUSED);
    WorkflowThread paused = bed.thread(id);
    assertThat(paused.status()).isEqualTo(ThreadStatus.PAUSED);
    assertThat(paused.step("work").orElseThrow().status()).isEqualTo(StepStatus.PENDING);
    assertThat(paused.step("work").orElseThrow().attempts()).isEqualTo(1);
    assertThat(paused.step("work").orElseThrow().failures()).isZero();
    eventually().until(() -> engine.runningThreads() == 0);
    assertThat(bed.store.claimOf(id)).isEqualTo(new Claim(null, null));
    bed.assertLeftAlone(engine, id);
    assertThat(bed.gate.hasStarted(id.toString(), "work")).isFalse();

    bed.threads.resume(Caller.LOCAL_ADMIN, id);
    bed.gate.open(id.toString(), "work");
    eventually().until(() -> bed.thread(id).status() == ThreadStatus.COMPLETED);
    assertThat(bed.attempts(id, "work")).isEqualTo(2);
  }

  /**
   * A worker that ends frees a place but makes nothing claimable: after a claim that found no more
   * threads than it took, the dispatcher asks the store nothing when a worker ends, neither a claim
   * nor the next due time (each a transaction on a database), until something new comes.
   */
  @Test
  void aWorkerThatEndsAfterAClaimThatFoundNothingMoreCostsNoLookAtTheStore() {
    Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    ThreadClaims counting =
        (ThreadClaims)
            Proxy.newProxyInstance(
                ThreadClaims.class.getClassLoader(),
                new Class<?>[] {ThreadClaims.class},
                (proxy, method, arguments) -> {
                  calls
                      .computeIfAbsent(method.getName(), name -> new AtomicInteger())
                      .incrementAndGet();
                  try {
                    return method.invoke(bed.store, arguments);
                  } catch (InvocationTargetException thrown) {
                    throw thrown.getCause();
                  }
                });
    ThreadEngine engine = bed.startEngine(counting, settings(NODE));
    ThreadId first = bed.create("gate-then-echo", "ends");
    eventually().until(() -> bed.gate.hasStarted(first.toString(), "work"));
    int claimsBefore = calls.get("claim").get();
    int looksBefore = calls.get("nextClaimableAt").get();

    bed.gate.open(first.toString(), "work");
    eventually().until(() -> bed.thread(first).status() == ThreadStatus.COMPLETED);
    eventually().until(() -> engine.runningThreads() == 0);
    ThreadId second = bed.create("gate-then-echo", "new work");
    eventually().until(() -> bed.gate.hasStarted(second.toString(), "work"));

    // the second thread's claim and look, and nothing for the first one's end
    assertThat(calls.get("claim").get()).isEqualTo(claimsBefore + 1);
    assertThat(calls.get("nextClaimableAt").get()).isEqualTo(looksBefore + 1);
  }

  @Test
  void aThreadsLastStepWriteEndsItsClaimWithoutAReleaseOfItsOwn() {
    StallingClaims claims = new StallingClaims(bed.store);
    ThreadEngine engine = bed.startEngine(claims, settings(NODE));
    ThreadId id = bed.create("gate-then-echo", "done in its last write");
    eventually().until(() -> bed.gate.hasStarted(id.toString(), "work"));

    bed.gate.open(id.toString(), "work");
    eventually().until(() -> bed.thread(id).status() == ThreadStatus.COMPLETED);
    eventually().until(() -> engine.runningThreads() == 0);

    assertThat(bed.store.claimOf(id).owner()).isNull();
    // the fenced write that completed it ended the claim: another write would cost a commit
    assertThat(claims.releases()).isEmpty();
  }

  @Test
  void aNodeThatStalledPastItsLeaseCannotRecordItsStepOverTheNodeThatTookItOver() {
    StallingClaims stallingClaims = new StallingClaims(bed.store);
    ThreadEngine stalled = bed.startEngine(stallingClaims, settings("node-b"));
    ThreadId id = bed.create("gate-then-echo", "shared");
    eventually().until(() -> bed.gate.hasStarted(id.toString(), "work"));

    // node B stalls (a long pause of its process, say): its timer can neither renew nor check its
    // claims; its lease passes and node C takes the thread over, running the step again
    stallingClaims.stall();
    bed.clock.advance(LEASE.plusSeconds(1));
    ThreadEngine nodeC = bed.startEngine(settings("node-c"));
    eventually().until(() -> bed.attempts(id, "work") == 2);
    assertThat(bed.store.claimOf(id).owner()).isEqualTo("node-c");

    try {
      // both attempts finish: node B's result is refused, node C's is recorded
      bed.gate.open(id.toString(), "work");
      eventually().until(() -> bed.thread(id).status() == ThreadStatus.COMPLETED);
      eventually().until(() -> stalled.runningThreads() == 0);
    } finally {
      stallingClaims.resume();
    }
    assertThat(stallingClaims.refusedWrites()).containsExactly(id);
    assertThat(eventsOf(id, STEP_COMPLETED))
        .extracting(ThreadEvent::step)
        .containsExactly("work", "after");
    WorkflowThread done = bed.thread(id);
    assertThat(done.step("work").orElseThrow().output()).containsEntry("attempt", 2);
    assertThat(done.step("after").orElseThrow().output()).containsEntry("text", "2");
    eventually().until(() -> nodeC.runningThreads() == 0);
  }

  @Test
  void aNodeLearnsFromItsClaimCheckThatAnotherNodeTookItsThreadOverAndCancelsItsAgent() {
    // renewed every 200 s: none comes during the test, only the claim check can tell node B
    Duration longLease = Duration.ofMinutes(10);
    ThreadEngine nodeB =
        bed.startEngine(new EngineSettings("node-b", 16, longLease, Duration.ofHours(1), 8, false));
    ThreadId id = bed.create("gate-then-echo", "taken over");
    eventually().until(() -> bed.gate.hasStarted(id.toString(), "work"));

    // node B missed its renewals (as after a pause of its process): node C takes the thread over
    bed.clock.advance(longLease.plusSeconds(1));
    ThreadEngine nodeC = bed.startEngine(settings("node-c"));
    eventually().until(() -> bed.attempts(id, "work") == 2);

    // node B's claim check, every second, tells it that the thread is no longer its own
    eventually().until(() -> bed.gate.wasCancelled(id.toString(), "work"));
    eventually().until(() -> nodeB.runningThreads() == 0);
    bed.gate.open(id.toString(), "work");
    eventually().until(() -> bed.thread(id).status() == ThreadStatus.COMPLETED);
    assertThat(eventsOf(id, STEP_COMPLETED))
        .extracting(ThreadEvent::step)
        .containsExactly("work", "after");
    assertThat(bed.step(id, "work").output()).containsEntry("attempt", 2);
    eventually().until(() -> nodeC.runningThreads() == 0);
  }

  @Test
  void aThreadDeletedThroughAnotherNodeStopsItsWorkerAndCancelsItsAgent() {
    ThreadEngine engine = bed.startEngine();
    ThreadId id = bed.create("gate-then-echo", "deleted elsewhere");
    eventually().until(() -> bed.gate.hasStarted(id.toString(), "work"));
    ThreadService otherNode = anotherNodesApi();

    otherNode.delete(Caller.LOCAL_ADMIN, id);

    eventually().until(() -> bed.gate.wasCancelled(id.toString(), "work"));
    eventually().until(() -> engine.runningThreads() == 0);
    assertThat(bed.events(id)).last().isEqualTo(THREAD_DELETED);
    assertThat(bed.store.find(id)).isEmpty();
  }

  @Test
  void aThreadPausedThroughAnotherNodeGivesUpTheAttemptOfAnAgentThatStopsOnPause() {
    ThreadEngine engine = bed.startEngine();
    bed.workflows.put(
        workflow(
            "calls-paused-elsewhere",
            step("call", GateAgent.STOPPING_ON_PAUSE, Map.of()),
            step("after", "echo", Map.of())));
    ThreadId id = bed.create("calls-paused-elsewhere", "paused elsewhere");
    eventually().until(() -> bed.gateStoppingOnPause.hasStarted(id.toString(), "call"));
    ThreadService otherNode = anotherNodesApi();

    otherNode.pause(Caller.LOCAL_ADMIN, id);

    // the claim check, every second, reads the thread as paused and gives the attempt up
    eventually().until(() -> bed.gateStoppingOnPause.wasCancelled(id.toString(), "call"));
    eventually().until(() -> bed.events(id).contains(THREAD_PAUSED));
    eventually().until(() -> engine.runningThreads() == 0);
    ThreadStep cutShort = bed.step(id, "call");
    assertThat(cutShort.status()).isEqualTo(StepStatus.PENDING);
    assertThat(cutShort.attempts()).isEqualTo(1);
    assertThat(cutShort.failures()).isZero();
    assertThat(bed.thread(id).status()).isEqualTo(ThreadStatus.PAUSED);
    assertThat(bed.events(id)).doesNotContain(STEP_FAILED);
  }

  @Test
  void aThreadPausedThroughAnotherNodeLetsTheAttemptOfAnAgentThatFinishesOnPauseFinish() {
    ThreadEngine engine = bed.startEngine();
    ThreadId id = bed.create("gate-then-echo", "paused elsewhere, finishing");
    eventually().until(() -> bed.gate.hasStarted(id.toString(), "work"));
    ThreadService otherNode = anotherNodesApi();

    otherNode.pause(Caller.LOCAL_ADMIN, id);
    // claim checks (every second) read the thread as paused while the attempt runs: none stops it
    eventually()
        .during(Duration.ofMillis(2500))
        .until(() -> !bed.gate.wasCancelled(id.toString(), "work"));
    bed.gate.open(id.toString(), "work");

    eventually().until(() -> bed.events(id).contains(THREAD_PAUSED));
    assertThat(bed.gate.wasCancelled(id.toString(), "work")).isFalse();
    assertThat(bed.step(id, "work").status()).isEqualTo(StepStatus.COMPLETED);
    assertThat(bed.thread(id).status()).isEqualTo(ThreadStatus.PAUSED);
    eventually().until(() -> engine.runningThreads() == 0);
  }

  @Test
  void aThreadCancelledThroughAnotherNodeStopsItsWorkerAndCancelsItsAgent() {
    ThreadEngine engine = bed.startEngine();
    ThreadId id = bed.create("gate-then-echo", "cancelled elsewhere");
    eventually().until(() -> bed.gate.hasStarted(id.toString(), "work"));
    ThreadService otherNode = anotherNodesApi();

    otherNode.cancel(Caller.LOCAL_ADMIN, id);

    eventually().until(() -> bed.gate.wasCancelled(id.toString(), "work"));
    eventually().until(() -> engine.runningThreads() == 0);
    assertThat(bed.thread(id).status()).isEqualTo(ThreadStatus.FAILED);
    assertThat(bed.events(id)).last().isEqualTo(THREAD_FAILED);
  }

  @Test
  void renewalsKeepTheThreadWithItsNodePastTheFirstLease() {
    Duration shortLease = Duration.ofSeconds(1);
    ThreadEngine nodeB =
        bed.startEngine(
            new EngineSettings("node-b", 16, shortLease, Duration.ofHours(1), 8, false));
    ThreadId id = bed.create("gate-then-echo", "kept");
    eventually().until(() -> bed.gate.hasStarted(id.toString(), "work"));
    Instant claimedAt = bed.clock.instant();
    assertThat(bed.store.claimOf(id)).isEqualTo(new Claim("node-b", claimedAt.plus(shortLease)));

    // node B renews every third of its lease: its next renewal moves the lease on from the new now
    bed.clock.advance(Duration.ofMillis(900));
    Instant renewedUntil = bed.clock.instant().plus(shortLease);
    eventually().until(() -> renewedUntil.equals(bed.store.claimOf(id).until()));
    bed.clock.advance(Duration.ofMillis(500));
    ThreadEngine nodeC = bed.startEngine(settings("node-c"));

    // past the first lease, within the renewed one
    bed.assertLeftAlone(nodeC, id);
    bed.gate.open(id.toString(), "work");
    eventually().until(() -> bed.thread(id).status() == ThreadStatus.COMPLETED);
    assertThat(bed.attempts(id, "work")).isEqualTo(1);
    assertThat(bed.events(id)).doesNotContain(THREAD_RECOVERED).endsWith(THREAD_COMPLETED);
    eventually().until(() -> nodeB.runningThreads() == 0);
  }

  @Test
  void shutdownGivesUpTheAttemptsInFlightAndReleasesTheClaimsForTheNextStart() {
    ThreadEngine first = bed.startEngine(settings("node-b"));
    ThreadId id = bed.create("gate-then-echo", "interrupted by a shutdown");
    eventually().until(() -> bed.gate.hasStarted(id.toString(), "work"));

    first.close();

    assertThat(first.runningThreads()).isZero();
    eventually().until(() -> bed.gate.wasCancelled(id.toString(), "work"));
    assertThat(bed.store.claimOf(id)).isEqualTo(new Claim(null, null));
    // the attempt was not recorded: the step is still in flight as stored
    assertThat(bed.stepStatus(id, "work")).isEqualTo(StepStatus.RUNNING);
    assertThat(bed.events(id)).endsWith(STEP_STARTED);

    // the next node claims it at once, without waiting for a lease, and recovers the step
    bed.startEngine(settings("node-c"));
    eventually().until(() -> bed.attempts(id, "work") == 2);
    assertThat(bed.store.claimOf(id).owner()).isEqualTo("node-c");
    bed.gate.open(id.toString(), "work");
    eventually().until(() -> bed.thread(id).status() == ThreadStatus.COMPLETED);
    assertThat(bed.attempts(id, "work")).isEqualTo(2);
    assertThat(eventsOf(id, THREAD_RECOVERED)).hasSize(1);
  }

  @Test
  void shutdownLetsTheStepInFlightFinishWithinTheGraceAndRecordsItWithoutStartingTheNext() {
    ThreadEngine first = bed.startEngine(withShutdownGrace("node-b", EngineTestBed.WAIT));
    ThreadId id = bed.create("gate-then-echo", "finished during the shutdown");
    eventually().until(() -> bed.gate.hasStarted(id.toString(), "work"));

    CompletableFuture<Void> closing = CompletableFuture.runAsync(first::close);
    // the step may end only once the engine drains, else its next step starts before the close
    eventually().until(first::isClosing);
    // the engine waits for the step in flight rather than giving it up (the gate is
    // checked below: not cancelled)
    assertThat(closing).isNotDone();
    bed.gate.open(id.toString(), "work");
    closing.join();

    assertThat(first.runningThreads()).isZero();
    assertThat(bed.gate.wasCancelled(id.toString(), "work")).isFalse();
    assertThat(bed.stepStatus(id, "work")).isEqualTo(StepStatus.COMPLETED);
    assertThat(bed.stepStatus(id, "after")).isEqualTo(StepStatus.PENDING);
    assertThat(bed.events(id)).endsWith(STEP_STARTED, STEP_COMPLETED);
    assertThat(bed.store.claimOf(id)).isEqualTo(new Claim(null, null));

    // the next node goes on at once from the recorded result: nothing runs twice
    bed.startEngine(settings("node-c"));
    eventually().until(() -> bed.thread(id).status() == ThreadStatus.COMPLETED);
    assertThat(bed.attempts(id, "work")).isEqualTo(1);
    assertThat(bed.step(id, "after").output()).containsEntry("text", "1");
    assertThat(eventsOf(id, THREAD_RECOVERED)).isEmpty();
  }

  @Test
  void aStepStillRunningAfterTheShutdownGraceIsGivenUpAndRunAgainByTheNextOwner() {
    ThreadEngine first = bed.startEngine(withShutdownGrace("node-b", Duration.ofMillis(200)));
    ThreadId id = bed.create("gate-then-echo", "outlasts the grace");
    eventually().until(() -> bed.gate.hasStarted(id.toString(), "work"));

    first.close();

    assertThat(first.runningThreads()).isZero();
    eventually().until(() -> bed.gate.wasCancelled(id.toString(), "work"));
    assertThat(bed.stepStatus(id, "work")).isEqualTo(StepStatus.RUNNING);
    assertThat(bed.store.claimOf(id)).isEqualTo(new Claim(null, null));
    bed.startEngine(settings("node-c"));
    eventually().until(() -> bed.attempts(id, "work") == 2);
  }

  /**
   * What a node that died mid-step leaves in the store: the thread claimed by it, started, with its
   * first step in flight.
   */
  private void leftRunningByADeadNode(ThreadId id) {
    Instant now = bed.clock.instant();
    List<WorkflowThread> claimed = bed.store.claim(DEAD_NODE, now, now.plus(LEASE), 10);
    assertThat(claimed).extracting(WorkflowThread::id).containsExactly(id);
    WorkflowThread thread = claimed.get(0);
    thread.start(now);
    thread.startStep("work", now);
    bed.store.updateIfHeld(thread, DEAD_NODE);
  }

  private static EngineSettings withShutdownGrace(String nodeId, Duration grace) {
    EngineSettings usual = settings(nodeId);
    return new EngineSettings(
        nodeId,
        usual.maxRunningThreads(),
        usual.lease(),
        usual.pollInterval(),
        usual.claimBatch(),
        usual.takeOverAtStart(),
        usual.maxStepOutputBytes(),
        usual.maxThreadBytes(),
        grace);
  }

  private static EngineSettings takingOverAtStart(String nodeId) {
    EngineSettings usual = settings(nodeId);
    return new EngineSettings(
        nodeId,
        usual.maxRunningThreads(),
        usual.lease(),
        usual.pollInterval(),
        usual.claimBatch(),
        true);
  }

  private List<ThreadEvent> eventsOf(ThreadId id, ThreadEventType type) {
    return bed.store.eventsOf(id).stream().filter(event -> event.type() == type).toList();
  }

  /** Another node's API: it shares the store, not this engine's signals. */
  private ThreadService anotherNodesApi() {
    return new ThreadService(bed.store, bed.workflows, bed.clock, EngineSignal.NONE);
  }
}
