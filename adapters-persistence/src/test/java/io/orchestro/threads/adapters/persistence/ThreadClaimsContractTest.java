package io.orchestro.threads.adapters.persistence;

import static io.orchestro.threads.domain.TestWorkflows.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.orchestro.threads.application.agent.Agents;
import io.orchestro.threads.application.engine.EngineSettings;
import io.orchestro.threads.application.engine.ThreadEngine;
import io.orchestro.threads.application.port.out.ClaimLostException;
import io.orchestro.threads.application.port.out.ConcurrentThreadUpdateException;
import io.orchestro.threads.application.port.out.EngineObserver;
import io.orchestro.threads.application.port.out.ThreadClaims;
import io.orchestro.threads.application.port.out.WorkflowThreadStore;
import io.orchestro.threads.application.testing.InMemoryWorkflowCatalog;
import io.orchestro.threads.application.testing.StandInAgents;
import io.orchestro.threads.domain.RetryPolicy;
import io.orchestro.threads.domain.StepStatus;
import io.orchestro.threads.domain.TestWorkflows;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadRequest;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.ThreadStep;
import io.orchestro.threads.domain.WorkflowDefinition;
import io.orchestro.threads.domain.WorkflowThread;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What every {@link ThreadClaims} does, whatever it keeps threads in. The claims live in the thread
 * store (a fenced write checks the claim and saves the thread at once), so each implementation's
 * test extends this class and hands over an empty store that is both ports, for every test.
 *
 * <p>Time is what the test says it is: every call gets an explicit {@code now}, lease end or
 * not-before time, so a lease passes without waiting for it.
 *
 * @param <S> the store under test, which keeps both the threads and their claims
 */
public abstract class ThreadClaimsContractTest<S extends WorkflowThreadStore & ThreadClaims> {

  /** When the engine claims; after every thread's creation (T0 onwards). */
  private static final Instant NOW = T0.plusSeconds(60);

  private static final Duration LEASE = Duration.ofSeconds(15);
  private static final Instant LEASE_END = NOW.plus(LEASE);

  /** Long after every lease and not-before time in these tests. */
  private static final Instant MUCH_LATER = NOW.plus(Duration.ofDays(1));

  /** How soon after its start time the engine starts a thread (issue 17: within 100 ms). */
  private static final Duration START_AT_TOLERANCE = Duration.ofMillis(100);

  private static final String NODE_A = "node-a";
  private static final String NODE_B = "node-b";
  private static final String NODE_C = "node-c";

  protected S store;

  /** A store holding no threads (and so no claims); called before each test and each race round. */
  protected abstract S emptyStore();

  @BeforeEach
  void startWithAnEmptyStore() {
    store = emptyStore();
  }

  // ---- claim ----

  @Test
  void claimsPendingThreadsOldestFirstUpToTheLimit() {
    ThreadId third = insertPendingCreatedAt(T0.plusSeconds(3));
    ThreadId first = insertPendingCreatedAt(T0.plusSeconds(1));
    ThreadId fifth = insertPendingCreatedAt(T0.plusSeconds(5));
    ThreadId second = insertPendingCreatedAt(T0.plusSeconds(2));
    ThreadId fourth = insertPendingCreatedAt(T0.plusSeconds(4));

    assertThat(ids(store.claim(NODE_A, NOW, LEASE_END, 3)))
        .containsExactlyInAnyOrder(first, second, third);
    assertThat(ids(store.claim(NODE_B, NOW, LEASE_END, 3)))
        .containsExactlyInAnyOrder(fourth, fifth);
    assertThat(store.claim(NODE_C, NOW, LEASE_END, 3)).isEmpty();
  }

  @Test
  void claimsHigherPriorityFirstThenOldest() {
    ThreadId oldLow = insertPending(T0.plusSeconds(1), -5, null);
    ThreadId newHigh = insertPending(T0.plusSeconds(4), 50, null);
    ThreadId oldDefault = insertPending(T0.plusSeconds(2), null, null);
    ThreadId newDefault = insertPending(T0.plusSeconds(3), 0, null);

    assertThat(ids(store.claim(NODE_A, NOW, LEASE_END, 3)))
        .containsExactly(newHigh, oldDefault, newDefault);
    assertThat(ids(store.claim(NODE_B, NOW, LEASE_END, 3))).containsExactly(oldLow);
  }

  @Test
  void aThreadIsNotClaimedBeforeItsStartTimeAndTheStoreTellsWhenThatIs() {
    Instant startAt = NOW.plusSeconds(30);
    ThreadId later = insertPending(T0, 100, startAt);
    ThreadId now = insertPending(T0.plusSeconds(1), null, NOW.minusSeconds(1));

    assertThat(ids(store.claim(NODE_A, NOW, MUCH_LATER, 10))).containsExactly(now);
    assertThat(store.nextClaimableAt(NOW)).contains(startAt);
    Instant justBefore = startAt.minusMillis(1);
    assertThat(store.claim(NODE_B, justBefore, justBefore.plus(LEASE), 10)).isEmpty();

    List<WorkflowThread> claimed = store.claim(NODE_B, startAt, startAt.plus(LEASE), 10);
    assertThat(ids(claimed)).containsExactly(later);
    assertThat(claimed.get(0).startAt()).isEqualTo(startAt);
    assertThat(claimed.get(0).priority()).isEqualTo(100);
    assertThat(store.nextClaimableAt(startAt)).isEmpty();
  }

  /**
   * The engine on this store starts each thread when its start time comes, to within {@link
   * #START_AT_TOLERANCE}: the dispatcher sleeps until the time the store names, with no poll in
   * between (the poll interval is an hour). The start times are what the engine recorded.
   */
  @Test
  @Timeout(30)
  void anEngineOnThisStoreStartsEachThreadWithinAFewMillisecondsOfItsStartTime() {
    InMemoryWorkflowCatalog catalog = new InMemoryWorkflowCatalog();
    WorkflowDefinition single = TestWorkflows.definition("single", "a");
    catalog.add(single);
    ExecutorService executor = Executors.newCachedThreadPool();
    ThreadEngine engine =
        new ThreadEngine(
            store,
            catalog,
            new Agents(StandInAgents.all()),
            Clock.systemUTC(),
            executor,
            new EngineSettings(
                NODE_A,
                16,
                LEASE,
                Duration.ofHours(1),
                16,
                false,
                EngineSettings.DEFAULT_MAX_STEP_OUTPUT_BYTES,
                EngineSettings.DEFAULT_MAX_THREAD_BYTES,
                Duration.ZERO,
                EngineSettings.DEFAULT_CLAIM_AHEAD),
            EngineObserver.NONE);
    try {
      engine.start();
      // a first thread through the engine loads its classes: the time taken is a cold start's
      ThreadId first =
          store
              .insert(
                  WorkflowThread.create(
                      ThreadId.generate(), TestWorkflows.request("first"), single, Instant.now()))
              .id();
      engine.runnable(first);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> store.find(first).orElseThrow().status() == ThreadStatus.COMPLETED);

      Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      Map<ThreadId, Instant> startTimes = new LinkedHashMap<>();
      for (int i = 0; i < 5; i++) {
        Instant startAt = now.plusMillis(1000 + 250 * i);
        WorkflowThread thread =
            WorkflowThread.create(
                ThreadId.generate(),
                new ThreadRequest("wait for me", null, null, null, null, startAt),
                single,
                now);
        startTimes.put(store.insert(thread).id(), startAt);
        // what creating a thread through the service does
        engine.runnable(thread.id());
      }

      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () ->
                  startTimes.keySet().stream()
                      .allMatch(
                          id -> store.find(id).orElseThrow().status() == ThreadStatus.COMPLETED));
      startTimes.forEach(
          (id, startAt) -> {
            Instant started = store.find(id).orElseThrow().startTime();
            assertThat(started)
                .as(
                    "started %d ms after its start time %s",
                    Duration.between(startAt, started).toMillis(), startAt)
                .isAfterOrEqualTo(startAt)
                .isBefore(startAt.plus(START_AT_TOLERANCE));
          });
    } finally {
      engine.close();
      executor.shutdownNow();
    }
  }

  @Test
  void claimsNothingInAnEmptyStore() {
    assertThat(store.claim(NODE_A, NOW, LEASE_END, 10)).isEmpty();
  }

  @Test
  void givesBackTheClaimedThreadsWholeAndUnchanged() {
    WorkflowThread inserted = store.insert(TestWorkflows.pendingThread());

    List<WorkflowThread> claimed = store.claim(NODE_A, NOW, LEASE_END, 10);

    assertThat(claimed)
        .singleElement()
        .satisfies(thread -> assertThat(thread.newEvents()).isEmpty());
    assertThat(claimed.get(0).snapshot()).isEqualTo(inserted.snapshot());
  }

  @ParameterizedTest
  @EnumSource(ThreadStatus.class)
  void claimsAThreadNobodyHoldsOnlyWhileItMayRun(ThreadStatus status) {
    WorkflowThread thread = store.insert(TestWorkflows.threadIn(status));

    List<WorkflowThread> claimed = store.claim(NODE_A, MUCH_LATER, MUCH_LATER.plus(LEASE), 10);

    if (status == ThreadStatus.PENDING || status == ThreadStatus.RUNNING) {
      assertThat(ids(claimed)).containsExactly(thread.id());
    } else {
      assertThat(claimed).isEmpty();
    }
  }

  @Test
  void aClaimedThreadIsNotClaimedAgainBeforeItsLeasePassed() {
    ThreadId id = insertPending();
    assertThat(ids(store.claim(NODE_A, NOW, LEASE_END, 10))).containsExactly(id);

    assertThat(store.claim(NODE_A, NOW, LEASE_END, 10)).isEmpty();
    assertThat(store.claim(NODE_B, NOW, LEASE_END, 10)).isEmpty();
    assertThat(store.claim(NODE_B, LEASE_END.minusMillis(1), MUCH_LATER, 10)).isEmpty();
  }

  @Test
  void anotherOwnerTakesTheThreadOverOnceTheLeasePassed() {
    ThreadId id = insertPending();
    runFirstStep(claimOne(NODE_A, NOW), NODE_A);
    Instant afterLease = LEASE_END.plusMillis(1);

    WorkflowThread taken = claimOne(NODE_B, afterLease);

    assertThat(taken.id()).isEqualTo(id);
    assertThat(taken.status()).isEqualTo(ThreadStatus.RUNNING);
    assertThat(taken.runningStep()).map(ThreadStep::name).contains("a");
    // the new owner's lease holds against everyone, the crashed owner included
    assertThat(store.claim(NODE_A, afterLease, afterLease.plus(LEASE), 10)).isEmpty();
    assertThat(store.claim(NODE_C, afterLease.plus(LEASE).minusMillis(1), MUCH_LATER, 10))
        .isEmpty();
  }

  @Test
  void aPausedThreadLeftClaimedWithAStepInFlightIsTakenOverOnceTheLeasePassed() {
    ThreadId id = insertPending();
    runFirstStep(claimOne(NODE_A, NOW), NODE_A);
    pauseAsAPerson(id, NOW.plusSeconds(1));
    assertThat(store.claim(NODE_B, NOW.plusSeconds(2), MUCH_LATER, 10)).isEmpty();
    Instant afterLease = LEASE_END.plusMillis(1);

    WorkflowThread taken = claimOne(NODE_B, afterLease);

    assertThat(taken.status()).isEqualTo(ThreadStatus.PAUSED);
    assertThat(taken.runningStep()).map(ThreadStep::name).contains("a");
    // recovering the cut-short step settles the pause, and that write lets the thread go
    taken.recover(afterLease);
    store.updateIfHeld(taken, NODE_B);
    assertThat(store.claim(NODE_C, MUCH_LATER, MUCH_LATER.plus(LEASE), 10)).isEmpty();
  }

  // ---- a thread stored claimed by the node that creates it ----

  /**
   * A thread stored with its creator's claim is that owner's as if claimed: nobody claims it while
   * the lease holds, the owner writes its steps and renews it; once the owner stops renewing (a
   * crash), another owner takes it over. A store that keeps no claims with new threads stores
   * nothing when asked to.
   */
  @Test
  void aThreadStoredClaimedIsTheOwnersUntilItsLeasePassesThenAnotherOwnerTakesItOver() {
    WorkflowThread created = TestWorkflows.pendingThread();

    if (!store.insertsClaimed()) {
      assertThatThrownBy(() -> store.insertClaimed(created, NODE_A, LEASE_END))
          .isInstanceOf(UnsupportedOperationException.class);
      assertThat(store.find(created.id())).isEmpty();
      return;
    }

    WorkflowThread stored = store.insertClaimed(created, NODE_A, LEASE_END);

    ThreadId id = created.id();
    assertThat(stored.version()).isZero();
    assertThat(store.find(id).orElseThrow().snapshot()).isEqualTo(stored.snapshot());
    assertThat(store.claim(NODE_B, NOW, MUCH_LATER, 10)).isEmpty();
    assertThat(store.claim(NODE_A, LEASE_END.minusMillis(1), MUCH_LATER, 10)).isEmpty();
    runFirstStep(stored, NODE_A);
    assertThat(store.renew(NODE_A, List.of(id), LEASE_END)).containsExactly(id);
    Instant afterLease = LEASE_END.plusMillis(1);

    WorkflowThread taken = claimOne(NODE_B, afterLease);

    assertThat(taken.id()).isEqualTo(id);
    assertThat(taken.runningStep()).map(ThreadStep::name).contains("a");
    assertThat(store.renew(NODE_A, List.of(id), MUCH_LATER)).isEmpty();
  }

  /**
   * A batch stored with claims for some of its threads: those are their owner's, started as stored;
   * the others are claimable at once, as after {@link WorkflowThreadStore#insertAll}.
   */
  @Test
  void aBatchStoredWithClaimsForSomeLeavesOnlyTheOthersClaimable() {
    WorkflowThread started = TestWorkflows.pendingThread();
    started.start(NOW);
    started.startStep("a", NOW);
    WorkflowThread waiting = TestWorkflows.pendingThread();
    if (!store.insertsClaimed()) {
      assertThatThrownBy(
              () ->
                  store.insertAllClaimed(
                      List.of(started, waiting), NODE_A, Arrays.asList(LEASE_END, null)))
          .isInstanceOf(UnsupportedOperationException.class);
      return;
    }

    List<WorkflowThread> stored =
        store.insertAllClaimed(List.of(started, waiting), NODE_A, Arrays.asList(LEASE_END, null));

    assertThat(stored).extracting(WorkflowThread::version).containsExactly(0L, 0L);
    assertThat(store.find(started.id()).orElseThrow().runningStep())
        .map(ThreadStep::name)
        .contains("a");
    assertThat(store.claim(NODE_B, NOW, MUCH_LATER, 10))
        .extracting(WorkflowThread::id)
        .containsExactly(waiting.id());
    WorkflowThread recorded = stored.get(0);
    recorded.completeStep("a", Map.of(), NOW.plusSeconds(1));
    assertThat(store.updateIfHeld(recorded, NODE_A).version()).isEqualTo(1L);
  }

  // ---- claim and optimistic locking ----

  @Test
  void claimLeavesTheVersionAlone() {
    WorkflowThread inserted = store.insert(TestWorkflows.pendingThread());

    WorkflowThread claimed = claimOne(NODE_A, NOW);

    assertThat(claimed.version()).isEqualTo(inserted.version());
    assertThat(store.find(inserted.id()).orElseThrow().snapshot()).isEqualTo(inserted.snapshot());
  }

  @Test
  void aPauseLoadedBeforeTheClaimWinsWhenItIsSavedFirst() {
    ThreadId id = insertPending();
    WorkflowThread loadedByAPerson = store.find(id).orElseThrow();
    WorkflowThread claimed = claimOne(NODE_A, NOW);
    loadedByAPerson.pause(NOW.plusSeconds(1));
    WorkflowThread paused = store.update(loadedByAPerson);

    claimed.start(NOW.plusSeconds(2));

    assertThatThrownBy(() -> store.updateIfHeld(claimed, NODE_A))
        .isInstanceOf(ConcurrentThreadUpdateException.class);
    assertThat(store.find(id).orElseThrow().snapshot()).isEqualTo(paused.snapshot());
    // the owner reloads, finds it paused with nothing in flight and lets go: nobody claims it
    store.release(id, NODE_A, null);
    assertThat(store.claim(NODE_B, MUCH_LATER, MUCH_LATER.plus(LEASE), 10)).isEmpty();
  }

  @Test
  void aPauseLoadedBeforeTheClaimLosesToTheOwnersEarlierWrite() {
    ThreadId id = insertPending();
    WorkflowThread loadedByAPerson = store.find(id).orElseThrow();
    WorkflowThread started = runFirstStep(claimOne(NODE_A, NOW), NODE_A);

    loadedByAPerson.pause(NOW.plusSeconds(1));

    assertThatThrownBy(() -> store.update(loadedByAPerson))
        .isInstanceOf(ConcurrentThreadUpdateException.class);
    assertThat(store.find(id).orElseThrow().snapshot()).isEqualTo(started.snapshot());
  }

  // ---- renew ----

  @Test
  void renewKeepsTheOwnersThreadsUntilTheNewLeaseEnd() {
    List<ThreadId> mine = List.of(insertPending(), insertPending());
    assertThat(store.claim(NODE_A, NOW, LEASE_END, 10)).hasSize(2);
    Instant renewedUntil = LEASE_END.plus(LEASE);

    assertThat(store.renew(NODE_A, mine, renewedUntil)).containsExactlyInAnyOrderElementsOf(mine);

    assertThat(store.claim(NODE_B, LEASE_END.plusMillis(1), MUCH_LATER, 10)).isEmpty();
    assertThat(ids(store.claim(NODE_B, renewedUntil.plusMillis(1), MUCH_LATER, 10)))
        .containsExactlyInAnyOrderElementsOf(mine);
  }

  @Test
  void renewReturnsExactlyTheIdsTheOwnerStillHolds() {
    ThreadId takenOver = insertPendingCreatedAt(T0.plusSeconds(1));
    ThreadId kept = insertPendingCreatedAt(T0.plusSeconds(2));
    ThreadId deleted = insertPendingCreatedAt(T0.plusSeconds(3));
    ThreadId released = insertPendingCreatedAt(T0.plusSeconds(4));
    assertThat(store.claim(NODE_A, NOW, LEASE_END, 10)).hasSize(4);
    store.renew(NODE_A, List.of(kept), LEASE_END.plus(LEASE));
    deleteAsAPerson(deleted, NOW.plusSeconds(1));
    store.release(released, NODE_A, MUCH_LATER);
    Instant afterLease = LEASE_END.plusMillis(1);
    assertThat(ids(store.claim(NODE_B, afterLease, afterLease.plus(LEASE), 10)))
        .containsExactly(takenOver);

    assertThat(
            store.renew(
                NODE_A,
                List.of(takenOver, kept, deleted, released, ThreadId.generate()),
                afterLease.plus(LEASE)))
        .containsExactly(kept);
  }

  @Test
  void renewLeavesOtherOwnersClaimsAlone() {
    ThreadId id = insertPending();
    claimOne(NODE_B, NOW);

    assertThat(store.renew(NODE_A, List.of(id), MUCH_LATER)).isEmpty();

    assertThat(ids(store.claim(NODE_C, LEASE_END.plusMillis(1), MUCH_LATER, 10)))
        .containsExactly(id);
  }

  @Test
  void renewingNoThreadsHoldsNone() {
    insertPending();
    claimOne(NODE_A, NOW);

    assertThat(store.renew(NODE_A, List.of(), MUCH_LATER)).isEmpty();
  }

  // ---- held ----

  @Test
  void heldReturnsExactlyTheIdsTheOwnerStillHoldsAndExtendsNothing() {
    ThreadId takenOver = insertPendingCreatedAt(T0.plusSeconds(1));
    ThreadId kept = insertPendingCreatedAt(T0.plusSeconds(2));
    ThreadId deleted = insertPendingCreatedAt(T0.plusSeconds(3));
    ThreadId released = insertPendingCreatedAt(T0.plusSeconds(4));
    assertThat(store.claim(NODE_A, NOW, LEASE_END, 10)).hasSize(4);
    Instant keptUntil = LEASE_END.plus(LEASE);
    store.renew(NODE_A, List.of(kept), keptUntil);
    deleteAsAPerson(deleted, NOW.plusSeconds(1));
    store.release(released, NODE_A, MUCH_LATER);
    Instant afterLease = LEASE_END.plusMillis(1);
    assertThat(ids(store.claim(NODE_B, afterLease, afterLease.plus(LEASE), 10)))
        .containsExactly(takenOver);
    List<ThreadId> asked = List.of(takenOver, kept, deleted, released, ThreadId.generate());

    assertThat(store.held(NODE_A, asked)).containsExactly(kept);
    assertThat(store.held(NODE_B, asked)).containsExactly(takenOver);
    assertThat(store.held(NODE_C, asked)).isEmpty();
    assertThat(store.held(NODE_A, List.of())).isEmpty();

    // only a read: the kept thread's lease still ends when its last renewal said
    assertThat(ids(store.claim(NODE_C, keptUntil.plusMillis(1), MUCH_LATER, 10)))
        .containsExactlyInAnyOrder(takenOver, kept);
  }

  // ---- findAll ----

  @Test
  void findAllReadsTheThreadsStillStoredWithTheirSteps() {
    ThreadId running = insertPendingCreatedAt(T0.plusSeconds(1));
    ThreadId pending = insertPendingCreatedAt(T0.plusSeconds(2));
    ThreadId deleted = insertPendingCreatedAt(T0.plusSeconds(3));
    runFirstStep(claimOne(NODE_A, NOW), NODE_A);
    deleteAsAPerson(deleted, NOW.plusSeconds(1));

    Map<ThreadId, WorkflowThread> found =
        store.findAll(List.of(running, pending, deleted, running, ThreadId.generate()));

    assertThat(found).containsOnlyKeys(running, pending);
    assertThat(found.get(running).version()).isEqualTo(store.find(running).orElseThrow().version());
    assertThat(found.get(running).status()).isEqualTo(ThreadStatus.RUNNING);
    assertThat(found.get(running).step("a").orElseThrow().status()).isEqualTo(StepStatus.RUNNING);
    assertThat(found.get(running).steps()).hasSize(3);
    assertThat(found.get(pending).status()).isEqualTo(ThreadStatus.PENDING);
    assertThat(found.get(pending).steps()).hasSize(3);
    assertThat(store.findAll(List.of())).isEmpty();
  }

  /**
   * Thousands of threads in flight on one node are claimed, renewed, checked and read in one call
   * each: more ids than one query of the SQL store asks about at once (it splits them in parts).
   */
  @Test
  void manyThreadsAreClaimedRenewedHeldAndReadWhole() {
    List<WorkflowThread> batch = TestWorkflows.pendingThreads(600);
    store.insertAll(batch);
    List<ThreadId> all = ids(batch);

    assertThat(ids(store.claim(NODE_A, NOW, LEASE_END, 1000)))
        .containsExactlyInAnyOrderElementsOf(all);
    Instant renewedUntil = LEASE_END.plus(LEASE);
    assertThat(store.renew(NODE_A, all, renewedUntil)).containsExactlyInAnyOrderElementsOf(all);
    assertThat(store.held(NODE_A, all)).containsExactlyInAnyOrderElementsOf(all);
    assertThat(store.held(NODE_B, all)).isEmpty();
    Map<ThreadId, WorkflowThread> found = store.findAll(all);
    assertThat(found).containsOnlyKeys(all);
    assertThat(found.values()).allSatisfy(thread -> assertThat(thread.steps()).hasSize(3));

    // every lease was renewed, the last part's as much as the first's
    assertThat(store.claim(NODE_B, LEASE_END.plusMillis(1), MUCH_LATER, 1000)).isEmpty();
    assertThat(store.claim(NODE_B, renewedUntil.plusMillis(1), MUCH_LATER, 1000)).hasSize(600);
  }

  // ---- fenced update ----

  @Test
  void aFencedUpdateSavesWhileTheOwnerHoldsTheClaimAndARunningThreadStaysClaimed() {
    ThreadId id = insertPending();
    WorkflowThread claimed = claimOne(NODE_A, NOW);
    claimed.start(NOW);
    claimed.startStep("a", NOW);

    WorkflowThread saved = store.updateIfHeld(claimed, NODE_A);

    assertThat(saved.version()).isEqualTo(1);
    assertThat(saved.newEvents()).isEmpty();
    assertThat(store.find(id).orElseThrow().snapshot()).isEqualTo(saved.snapshot());

    saved.completeStep("a", Map.of("answer", 42), NOW.plusSeconds(1));
    WorkflowThread next = store.updateIfHeld(saved, NODE_A);

    assertThat(next.version()).isEqualTo(2);
    assertThat(next.status()).isEqualTo(ThreadStatus.RUNNING);
    assertThat(store.claim(NODE_B, LEASE_END.minusMillis(1), MUCH_LATER, 10)).isEmpty();
    assertThat(store.renew(NODE_A, List.of(id), LEASE_END.plus(LEASE))).containsExactly(id);
  }

  @Test
  void anOwnerWhoseLeasePassedStillWritesWhileNobodyTookTheThreadOver() {
    ThreadId id = insertPending();
    WorkflowThread mine = runFirstStep(claimOne(NODE_A, NOW), NODE_A);

    mine.completeStep("a", Map.of(), LEASE_END.plusSeconds(1));

    assertThat(store.updateIfHeld(mine, NODE_A).step("a").orElseThrow().status())
        .isEqualTo(StepStatus.COMPLETED);
    assertThat(store.renew(NODE_A, List.of(id), MUCH_LATER)).containsExactly(id);
  }

  @Test
  void aFencedUpdateIsRefusedOnceAnotherOwnerTookTheThreadOver() {
    ThreadId id = insertPending();
    WorkflowThread mine = runFirstStep(claimOne(NODE_A, NOW), NODE_A);
    Instant afterLease = LEASE_END.plusMillis(1);
    WorkflowThread taken = claimOne(NODE_B, afterLease);

    // same version as stored: only the claim tells the two owners apart
    mine.completeStep("a", Map.of(), afterLease);

    assertThatThrownBy(() -> store.updateIfHeld(mine, NODE_A))
        .isInstanceOf(ClaimLostException.class);
    assertThat(store.find(id).orElseThrow().snapshot()).isEqualTo(taken.snapshot());
    taken.recover(afterLease);
    assertThat(store.updateIfHeld(taken, NODE_B).version()).isEqualTo(taken.version() + 1);
  }

  @Test
  void aFencedUpdateOfADeletedThreadIsRefusedAsALostClaim() {
    ThreadId id = insertPending();
    WorkflowThread mine = claimOne(NODE_A, NOW);
    deleteAsAPerson(id, NOW.plusSeconds(1));

    mine.start(NOW.plusSeconds(2));

    assertThatThrownBy(() -> store.updateIfHeld(mine, NODE_A))
        .isInstanceOf(ClaimLostException.class);
    assertThat(store.find(id)).isEmpty();
  }

  @Test
  void aFencedUpdateOfAThreadNeverClaimedIsRefusedAsALostClaim() {
    ThreadId id = insertPending();
    WorkflowThread loaded = store.find(id).orElseThrow();

    loaded.start(NOW);

    assertThatThrownBy(() -> store.updateIfHeld(loaded, NODE_A))
        .isInstanceOf(ClaimLostException.class);
    assertThat(store.find(id).orElseThrow().status()).isEqualTo(ThreadStatus.PENDING);
  }

  @Test
  void aFencedUpdateIsRefusedWhenSomeoneSavedTheThreadInBetween() {
    ThreadId id = insertPending();
    WorkflowThread mine = runFirstStep(claimOne(NODE_A, NOW), NODE_A);
    WorkflowThread paused = pauseAsAPerson(id, NOW.plusSeconds(1));

    mine.completeStep("a", Map.of(), NOW.plusSeconds(2));

    assertThatThrownBy(() -> store.updateIfHeld(mine, NODE_A))
        .isInstanceOf(ConcurrentThreadUpdateException.class);
    assertThat(store.find(id).orElseThrow().snapshot()).isEqualTo(paused.snapshot());

    // the owner still holds the thread: it reloads and applies the step's result again, which
    // settles the pause and lets the thread go in the same write
    WorkflowThread reloaded = store.find(id).orElseThrow();
    reloaded.completeStep("a", Map.of(), NOW.plusSeconds(2));
    assertThat(reloaded.isSettled()).isTrue();
    WorkflowThread settled = store.updateIfHeld(reloaded, NODE_A);

    assertThat(settled.status()).isEqualTo(ThreadStatus.PAUSED);
    assertThat(store.renew(NODE_A, List.of(id), MUCH_LATER)).isEmpty();
    assertThat(store.claim(NODE_B, MUCH_LATER, MUCH_LATER.plus(LEASE), 10)).isEmpty();
  }

  @Test
  void aFencedUpdateThatCompletesTheThreadReleasesItsClaim() {
    ThreadId id = insertOneStepThread();
    WorkflowThread mine = runFirstStep(claimOne(NODE_A, NOW), NODE_A);
    mine.completeStep("a", Map.of("done", true), NOW.plusSeconds(1));

    WorkflowThread completed = store.updateIfHeld(mine, NODE_A);

    assertThat(completed.status()).isEqualTo(ThreadStatus.COMPLETED);
    assertThat(store.renew(NODE_A, List.of(id), MUCH_LATER)).isEmpty();
    assertThat(store.claim(NODE_B, MUCH_LATER, MUCH_LATER.plus(LEASE), 10)).isEmpty();
  }

  @Test
  void aFencedUpdateThatFailsTheThreadReleasesItsClaim() {
    ThreadId id = insertOneStepThread();
    WorkflowThread mine = runFirstStep(claimOne(NODE_A, NOW), NODE_A);
    mine.failStep("a", "boom", RetryPolicy.NONE, NOW.plusSeconds(1));

    WorkflowThread failed = store.updateIfHeld(mine, NODE_A);

    assertThat(failed.status()).isEqualTo(ThreadStatus.FAILED);
    assertThat(store.renew(NODE_A, List.of(id), MUCH_LATER)).isEmpty();
    assertThat(store.claim(NODE_B, MUCH_LATER, MUCH_LATER.plus(LEASE), 10)).isEmpty();
  }

  @Test
  void aPersonsCancelOfAThreadWithAStepInFlightEndsItsOwnersClaim() {
    ThreadId id = insertOneStepThread();
    runFirstStep(claimOne(NODE_A, NOW), NODE_A);
    WorkflowThread loaded = store.find(id).orElseThrow();
    loaded.cancel(NOW.plusSeconds(1));

    WorkflowThread cancelled = store.update(loaded);

    assertThat(cancelled.status()).isEqualTo(ThreadStatus.FAILED);
    assertThat(store.held(NODE_A, List.of(id))).isEmpty();
    assertThat(store.claim(NODE_B, MUCH_LATER, MUCH_LATER.plus(LEASE), 10)).isEmpty();
  }

  @Test
  void aPersonsPauseOfAThreadWithAStepInFlightLeavesItsOwnersClaim() {
    ThreadId id = insertOneStepThread();
    runFirstStep(claimOne(NODE_A, NOW), NODE_A);
    WorkflowThread loaded = store.find(id).orElseThrow();
    loaded.pause(NOW.plusSeconds(1));

    store.update(loaded);

    assertThat(store.held(NODE_A, List.of(id))).containsExactly(id);
  }

  // ---- release ----

  @Test
  void aThreadReleasedWithoutNotBeforeIsClaimableAtOnce() {
    ThreadId id = insertPending();
    WorkflowThread mine = claimOne(NODE_A, NOW);

    store.release(id, NODE_A, null);

    assertThat(ids(store.claim(NODE_B, NOW, LEASE_END, 10))).containsExactly(id);
    mine.start(NOW);
    assertThatThrownBy(() -> store.updateIfHeld(mine, NODE_A))
        .isInstanceOf(ClaimLostException.class);
  }

  @Test
  void aThreadReleasedUntilTheEndOfABackoffIsClaimableFromThenOn() {
    ThreadId id = insertPending();
    WorkflowThread mine = runFirstStep(claimOne(NODE_A, NOW), NODE_A);
    mine.failStep("a", "try again", new RetryPolicy(3, 5_000), NOW.plusSeconds(1));
    store.updateIfHeld(mine, NODE_A);
    // before the lease would have ended: the release ends the lease, the backoff counts
    Instant notBefore = NOW.plusSeconds(6);

    store.release(id, NODE_A, notBefore);

    assertThat(store.claim(NODE_A, notBefore.minusMillis(1), MUCH_LATER, 10)).isEmpty();
    assertThat(store.claim(NODE_B, notBefore.minusMillis(1), MUCH_LATER, 10)).isEmpty();
    assertThat(ids(store.claim(NODE_B, notBefore, notBefore.plus(LEASE), 10))).containsExactly(id);
  }

  @Test
  void aThreadReleasedUntilAfterTheLeaseIsNotClaimableWhenTheLeaseEnds() {
    ThreadId id = insertPending();
    claimOne(NODE_A, NOW);
    Instant notBefore = LEASE_END.plus(LEASE);

    store.release(id, NODE_A, notBefore);

    assertThat(store.claim(NODE_B, LEASE_END.plusMillis(1), MUCH_LATER, 10)).isEmpty();
    assertThat(ids(store.claim(NODE_B, notBefore.plusMillis(1), MUCH_LATER, 10)))
        .containsExactly(id);
  }

  @Test
  void aReleaseByAnotherOwnerChangesNothing() {
    ThreadId id = insertPending();
    WorkflowThread mine = claimOne(NODE_A, NOW);

    store.release(id, NODE_B, null);
    store.release(id, NODE_B, MUCH_LATER);

    assertThat(store.claim(NODE_B, NOW, LEASE_END, 10)).isEmpty();
    mine.start(NOW);
    assertThat(store.updateIfHeld(mine, NODE_A).status()).isEqualTo(ThreadStatus.RUNNING);
    assertThat(store.renew(NODE_A, List.of(id), LEASE_END)).containsExactly(id);
    // the lease, not the other owner's not-before time, still decides when the thread moves on
    assertThat(ids(store.claim(NODE_C, LEASE_END.plusMillis(1), MUCH_LATER, 10)))
        .containsExactly(id);
  }

  @Test
  void releasingAThreadThatIsNotThereChangesNothing() {
    ThreadId id = insertPending();
    claimOne(NODE_A, NOW);

    store.release(ThreadId.generate(), NODE_A, null);

    assertThat(store.claim(NODE_B, NOW, LEASE_END, 10)).isEmpty();
    assertThat(store.renew(NODE_A, List.of(id), LEASE_END)).containsExactly(id);
  }

  // ---- expireOtherOwners ----

  @Test
  void expireOtherOwnersEndsTheirClaimsAtOnceAndKeepsTheOwnersOwn() {
    ThreadId mine = insertPendingCreatedAt(T0.plusSeconds(1));
    ThreadId running = insertPendingCreatedAt(T0.plusSeconds(2));
    ThreadId pausedInFlight = insertPendingCreatedAt(T0.plusSeconds(3));
    store.insert(TestWorkflows.threadIn(ThreadStatus.COMPLETED));
    assertThat(claimOne(NODE_A, NOW).id()).isEqualTo(mine);
    // a previous run of the node: it claimed two threads and started a step of each, then died
    List<WorkflowThread> ofTheDeadRun = new ArrayList<>();
    for (WorkflowThread claimed : store.claim(NODE_B, NOW, LEASE_END, 10)) {
      ofTheDeadRun.add(runFirstStep(claimed, NODE_B));
    }
    assertThat(ids(ofTheDeadRun)).containsExactlyInAnyOrder(running, pausedInFlight);
    pauseAsAPerson(pausedInFlight, NOW.plusSeconds(1));

    assertThat(store.expireOtherOwners(NODE_A)).isEqualTo(2);

    assertThat(ids(store.claim(NODE_A, NOW.plusSeconds(2), LEASE_END, 10)))
        .containsExactlyInAnyOrder(running, pausedInFlight);
    assertThat(store.renew(NODE_A, List.of(mine, running, pausedInFlight), LEASE_END))
        .containsExactlyInAnyOrder(mine, running, pausedInFlight);
    WorkflowThread late = ofTheDeadRun.get(0);
    late.completeStep("a", Map.of(), NOW.plusSeconds(3));
    assertThatThrownBy(() -> store.updateIfHeld(late, NODE_B))
        .isInstanceOf(ClaimLostException.class);
  }

  @Test
  void expireOtherOwnersEndsNothingWhenOnlyTheOwnerHoldsClaims() {
    ThreadId held = insertPendingCreatedAt(T0.plusSeconds(1));
    ThreadId released = insertPendingCreatedAt(T0.plusSeconds(2));
    assertThat(claimOne(NODE_A, NOW).id()).isEqualTo(held);
    assertThat(claimOne(NODE_A, NOW).id()).isEqualTo(released);
    // let go until the end of a backoff: no owner holds it, so there is no claim to end
    store.release(released, NODE_A, MUCH_LATER);

    assertThat(store.expireOtherOwners(NODE_A)).isZero();

    assertThat(store.claim(NODE_B, NOW, LEASE_END, 10)).isEmpty();
    assertThat(store.renew(NODE_A, List.of(held), LEASE_END)).containsExactly(held);
  }

  // ---- racing claimers ----

  @Test
  void ownersClaimingAtTheSameMomentNeverGetTheSameThread() throws Exception {
    for (int round = 0; round < 5; round++) {
      store = emptyStore();
      S racing = store;
      List<ThreadId> pending = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        pending.add(insertPendingCreatedAt(T0.plusMillis(i)));
      }
      Map<String, List<ThreadId>> claimedBy = new ConcurrentHashMap<>();
      List<Callable<Object>> claims = new ArrayList<>();
      for (String owner : List.of(NODE_A, NODE_B)) {
        claims.add(() -> claimedBy.put(owner, ids(racing.claim(owner, NOW, LEASE_END, 30))));
      }

      assertThat(Race.failuresOf(claims)).isEmpty();

      List<ThreadId> claimed = new ArrayList<>(claimedBy.get(NODE_A));
      claimed.addAll(claimedBy.get(NODE_B));
      assertThat(claimed).as("round %d", round).doesNotHaveDuplicates();
      assertThat(claimedBy.values())
          .allSatisfy(ids -> assertThat(ids).hasSizeLessThanOrEqualTo(30));
      // none lost either: what neither took is still there to claim
      claimed.addAll(ids(store.claim(NODE_C, NOW, LEASE_END, 50)));
      assertThat(claimed).as("round %d", round).containsExactlyInAnyOrderElementsOf(pending);
    }
  }

  // ---- helpers ----

  private ThreadId insertPending() {
    return insertPendingCreatedAt(T0);
  }

  /** Inserts a new pending thread of the three-step workflow {@code test} (steps a, b, c). */
  private ThreadId insertPendingCreatedAt(Instant createdAt) {
    return insert(TestWorkflows.definition("test", "a", "b", "c"), createdAt);
  }

  /** Inserts a new pending thread whose only step is {@code a}. */
  private ThreadId insertOneStepThread() {
    return insert(TestWorkflows.definition("single", "a"), T0);
  }

  /** Inserts a new pending thread with the priority and start time given (null: the default). */
  private ThreadId insertPending(Instant createdAt, Integer priority, Instant startAt) {
    return store
        .insert(
            WorkflowThread.create(
                ThreadId.generate(),
                new ThreadRequest("do the thing", null, null, null, priority, startAt),
                TestWorkflows.definition("test", "a", "b", "c"),
                createdAt))
        .id();
  }

  private ThreadId insert(WorkflowDefinition definition, Instant createdAt) {
    return store
        .insert(
            WorkflowThread.create(
                ThreadId.generate(), TestWorkflows.request("do the thing"), definition, createdAt))
        .id();
  }

  /** Claims for {@code owner} at {@code now} with the usual lease, expecting exactly one thread. */
  private WorkflowThread claimOne(String owner, Instant now) {
    List<WorkflowThread> claimed = store.claim(owner, now, now.plus(LEASE), 1);
    assertThat(claimed).hasSize(1);
    return claimed.get(0);
  }

  /** What the engine does first with a claimed pending thread: starts it and its step a. */
  private WorkflowThread runFirstStep(WorkflowThread claimed, String owner) {
    claimed.start(NOW);
    claimed.startStep("a", NOW);
    return store.updateIfHeld(claimed, owner);
  }

  /** A person's pause, through the plain update that knows nothing of claims. */
  private WorkflowThread pauseAsAPerson(ThreadId id, Instant at) {
    WorkflowThread loaded = store.find(id).orElseThrow();
    loaded.pause(at);
    return store.update(loaded);
  }

  private void deleteAsAPerson(ThreadId id, Instant at) {
    WorkflowThread loaded = store.find(id).orElseThrow();
    loaded.delete(at);
    assertThat(store.delete(loaded)).isTrue();
  }

  private static List<ThreadId> ids(List<WorkflowThread> threads) {
    return threads.stream().map(WorkflowThread::id).toList();
  }
}
