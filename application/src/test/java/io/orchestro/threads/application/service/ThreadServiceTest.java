package io.orchestro.threads.application.service;

import static io.orchestro.threads.application.testing.WorkflowCommands.step;
import static io.orchestro.threads.application.testing.WorkflowCommands.workflow;
import static io.orchestro.threads.domain.ThreadEventType.STEP_STARTED;
import static io.orchestro.threads.domain.ThreadEventType.THREAD_CREATED;
import static io.orchestro.threads.domain.ThreadEventType.THREAD_DELETED;
import static io.orchestro.threads.domain.ThreadEventType.THREAD_FAILED;
import static io.orchestro.threads.domain.ThreadEventType.THREAD_PAUSED;
import static io.orchestro.threads.domain.ThreadEventType.THREAD_RESUMED;
import static io.orchestro.threads.domain.ThreadEventType.THREAD_RETRIED;
import static io.orchestro.threads.domain.ThreadEventType.THREAD_STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.orchestro.threads.application.agent.Agents;
import io.orchestro.threads.application.port.in.BatchItemException;
import io.orchestro.threads.application.port.in.CreateThreadCommand;
import io.orchestro.threads.application.port.in.CreateThreadUseCase.CreatedThread;
import io.orchestro.threads.application.port.in.CreateThreadsUseCase;
import io.orchestro.threads.application.port.in.ThreadIdConflictException;
import io.orchestro.threads.application.port.in.ThreadNotFoundException;
import io.orchestro.threads.application.port.in.UnknownWorkflowTypeException;
import io.orchestro.threads.application.port.out.ConcurrentThreadUpdateException;
import io.orchestro.threads.application.port.out.EngineSignal;
import io.orchestro.threads.application.testing.InMemoryThreadStore;
import io.orchestro.threads.application.testing.InMemoryWorkflowCatalog;
import io.orchestro.threads.application.testing.SettableClock;
import io.orchestro.threads.application.testing.StandInAgents;
import io.orchestro.threads.domain.Caller;
import io.orchestro.threads.domain.IllegalTransitionException;
import io.orchestro.threads.domain.ListThreadsQuery;
import io.orchestro.threads.domain.RetryPolicy;
import io.orchestro.threads.domain.StepStatus;
import io.orchestro.threads.domain.ThreadCounts;
import io.orchestro.threads.domain.ThreadEvent;
import io.orchestro.threads.domain.ThreadEventType;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadPage;
import io.orchestro.threads.domain.ThreadRequest;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.WorkflowThread;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The thread use cases on a store in memory, with the engine's signals recorded. */
class ThreadServiceTest {

  private final InMemoryThreadStore store = new InMemoryThreadStore();
  private final SettableClock clock = SettableClock.standingStill();
  private final WorkflowService workflows =
      new WorkflowService(new InMemoryWorkflowCatalog(), new Agents(StandInAgents.all()), clock);
  private final RecordedSignals signals = new RecordedSignals();
  private final ThreadService threads = new ThreadService(store, workflows, clock, signals);

  @BeforeEach
  void workflows() {
    workflows.installBuiltIns(BuiltInWorkflows.all());
    workflows.put(workflow("two-steps", step("a", "echo", Map.of()), step("b", "echo", Map.of())));
  }

  // ---- create ----

  @Test
  void createStoresAPendingThreadOfTheNamedWorkflowAndSignalsTheEngine() {
    CreatedThread created = threads.create(Caller.LOCAL_ADMIN, command(null, "hello", "two-steps"));

    WorkflowThread thread = created.thread();
    assertThat(created.created()).isTrue();
    assertThat(thread.status()).isEqualTo(ThreadStatus.PENDING);
    assertThat(thread.workflowType()).isEqualTo("two-steps");
    assertThat(thread.steps()).extracting(step -> step.status()).containsOnly(StepStatus.PENDING);
    assertThat(thread.createdAt()).isEqualTo(SettableClock.START);
    assertThat(thread.version()).isZero();
    assertThat(store.find(thread.id()).orElseThrow().snapshot()).isEqualTo(thread.snapshot());
    assertThat(store.eventTypesOf(thread.id())).containsExactly(THREAD_CREATED);
    assertThat(signals.runnable).containsExactly(thread.id());
  }

  @Test
  void theKeywordsOfThePromptChooseTheWorkflowElseTheDefaultOne() {
    WorkflowThread research =
        threads.create(Caller.LOCAL_ADMIN, command(null, "Research the tides", null)).thread();
    WorkflowThread anything =
        threads.create(Caller.LOCAL_ADMIN, command(null, "Hello there", null)).thread();

    assertThat(research.workflowType()).isEqualTo("research");
    assertThat(anything.workflowType()).isEqualTo("general");
  }

  @Test
  void anUnknownWorkflowTypeIsRefusedAndNothingIsStored() {
    assertThatThrownBy(
            () -> threads.create(Caller.LOCAL_ADMIN, command(null, "hello", "no-such-type")))
        .isInstanceOf(UnknownWorkflowTypeException.class);

    assertThat(store.countByStatus().values()).containsOnly(0L);
    assertThat(signals.runnable).isEmpty();
  }

  @Test
  void theSameIdAndRequestAgainGivesBackTheThreadCreatedFirst() {
    ThreadId id = ThreadId.generate();
    WorkflowThread first =
        threads.create(Caller.LOCAL_ADMIN, command(id, "hello", "two-steps")).thread();
    clock.advance(Duration.ofMinutes(1));

    CreatedThread again = threads.create(Caller.LOCAL_ADMIN, command(id, "hello", "two-steps"));

    assertThat(again.created()).isFalse();
    assertThat(again.thread().snapshot()).isEqualTo(first.snapshot());
    assertThat(store.eventTypesOf(id)).containsExactly(THREAD_CREATED);
    assertThat(signals.runnable).containsExactly(id);
  }

  @Test
  void theSameIdWithAnotherRequestIsAConflict() {
    ThreadId id = ThreadId.generate();
    WorkflowThread first =
        threads.create(Caller.LOCAL_ADMIN, command(id, "hello", "two-steps")).thread();

    assertThatThrownBy(
            () -> threads.create(Caller.LOCAL_ADMIN, command(id, "goodbye", "two-steps")))
        .isInstanceOf(ThreadIdConflictException.class);

    assertThat(store.find(id).orElseThrow().snapshot()).isEqualTo(first.snapshot());
  }

  @Test
  void aCreateThatLosesTheRaceForItsIdGivesBackTheWinnerWhenTheRequestIsTheSame() {
    ThreadId id = ThreadId.generate();
    ThreadService racing = racingCreates(id, "hello");

    CreatedThread created = racing.create(Caller.LOCAL_ADMIN, command(id, "hello", "two-steps"));

    assertThat(created.created()).isFalse();
    assertThat(created.thread().request().prompt()).isEqualTo("hello");
    assertThat(store.eventTypesOf(id)).containsExactly(THREAD_CREATED);
    assertThat(signals.runnable).isEmpty();
  }

  @Test
  void aCreateThatLosesTheRaceForItsIdToAnotherRequestIsAConflict() {
    ThreadId id = ThreadId.generate();
    ThreadService racing = racingCreates(id, "the other one");

    assertThatThrownBy(() -> racing.create(Caller.LOCAL_ADMIN, command(id, "hello", "two-steps")))
        .isInstanceOf(ThreadIdConflictException.class);

    assertThat(store.find(id).orElseThrow().request().prompt()).isEqualTo("the other one");
  }

  // ---- many at once ----

  @Test
  void createAllStoresEveryThreadInTheGivenOrderAndSignalsTheEngineForEach() {
    List<CreatedThread> created =
        threads.createAll(
            Caller.LOCAL_ADMIN,
            List.of(
                command(null, "first", "two-steps"),
                command(null, "Research the tides", null),
                command(null, "third", "two-steps")));

    assertThat(created).allSatisfy(each -> assertThat(each.created()).isTrue());
    assertThat(created)
        .extracting(each -> each.thread().request().prompt())
        .containsExactly("first", "Research the tides", "third");
    assertThat(created.get(1).thread().workflowType()).isEqualTo("research");
    for (CreatedThread each : created) {
      WorkflowThread thread = each.thread();
      assertThat(store.find(thread.id()).orElseThrow().snapshot()).isEqualTo(thread.snapshot());
      assertThat(store.eventTypesOf(thread.id())).containsExactly(THREAD_CREATED);
    }
    assertThat(signals.runnable)
        .containsExactlyElementsOf(created.stream().map(each -> each.thread().id()).toList());
  }

  @Test
  void oneBadItemStoresNoneAndNamesItsPlace() {
    ThreadId conflicting = create();
    List<CreateThreadCommand> unknownType =
        List.of(command(null, "fine", "two-steps"), command(null, "hello", "no-such-type"));
    List<CreateThreadCommand> conflict =
        List.of(
            command(null, "fine", "two-steps"),
            command(null, "fine too", "two-steps"),
            command(conflicting, "another request", "two-steps"));

    assertThatThrownBy(() -> threads.createAll(Caller.LOCAL_ADMIN, unknownType))
        .isInstanceOfSatisfying(
            BatchItemException.class,
            rejected -> {
              assertThat(rejected.index()).isEqualTo(1);
              assertThat(rejected.reason()).isInstanceOf(UnknownWorkflowTypeException.class);
            });
    assertThatThrownBy(() -> threads.createAll(Caller.LOCAL_ADMIN, conflict))
        .isInstanceOfSatisfying(
            BatchItemException.class,
            rejected -> {
              assertThat(rejected.index()).isEqualTo(2);
              assertThat(rejected.reason()).isInstanceOf(ThreadIdConflictException.class);
            });
    assertThat(store.countByStatus().get(ThreadStatus.PENDING)).isEqualTo(1);
    assertThat(signals.runnable).containsExactly(conflicting);
  }

  @Test
  void anIdCreatedBeforeOrRepeatedInTheBatchWithAnEqualRequestGivesBackThatThread() {
    ThreadId before =
        threads
            .create(Caller.LOCAL_ADMIN, command(ThreadId.generate(), "hello", "two-steps"))
            .thread()
            .id();
    ThreadId repeated = ThreadId.generate();

    List<CreatedThread> created =
        threads.createAll(
            Caller.LOCAL_ADMIN,
            List.of(
                command(repeated, "once", "two-steps"),
                command(before, "hello", "two-steps"),
                command(repeated, "once", "two-steps")));

    assertThat(created).extracting(CreatedThread::created).containsExactly(true, false, false);
    assertThat(created.get(1).thread().id()).isEqualTo(before);
    assertThat(created.get(2).thread().snapshot()).isEqualTo(created.get(0).thread().snapshot());
    assertThat(store.eventTypesOf(repeated)).containsExactly(THREAD_CREATED);
    assertThatThrownBy(
            () ->
                threads.createAll(
                    Caller.LOCAL_ADMIN,
                    List.of(
                        command(repeated, "once", "two-steps"),
                        command(null, "fine", "two-steps"),
                        command(repeated, "not the same", "two-steps"))))
        .isInstanceOfSatisfying(
            BatchItemException.class, rejected -> assertThat(rejected.index()).isEqualTo(2));
  }

  @Test
  void aBatchThatLosesTheRaceForAnIdJudgesItsItemsAgainAgainstTheWinner() {
    ThreadId id = ThreadId.generate();
    InterferedStore beaten = new InterferedStore(store);
    beaten.beforeInsert =
        () -> {
          beaten.beforeInsert = () -> {};
          store.insert(
              WorkflowThread.create(
                  id,
                  new ThreadRequest("hello", "two-steps", null, null),
                  workflows.get("two-steps"),
                  clock.instant()));
        };
    ThreadService racing = new ThreadService(beaten, workflows, clock, signals);

    List<CreatedThread> created =
        racing.createAll(
            Caller.LOCAL_ADMIN,
            List.of(command(null, "mine", "two-steps"), command(id, "hello", "two-steps")));

    assertThat(created).extracting(CreatedThread::created).containsExactly(true, false);
    assertThat(created.get(1).thread().id()).isEqualTo(id);
    assertThat(store.countByStatus().get(ThreadStatus.PENDING)).isEqualTo(2);
  }

  @Test
  void moreThreadsThanTheLimitAreRefused() {
    List<CreateThreadCommand> tooMany =
        Collections.nCopies(
            CreateThreadsUseCase.MAX_THREADS + 1, command(null, "hello", "two-steps"));

    assertThatThrownBy(() -> threads.createAll(Caller.LOCAL_ADMIN, tooMany))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 1000");
    assertThat(store.countByStatus().values()).containsOnly(0L);
  }

  // ---- owners ----

  private static final Caller ALICE = new Caller("alice", Caller.Role.OPERATOR);
  private static final Caller BOB = new Caller("bob", Caller.Role.OPERATOR);
  private static final Caller BOBS_VIEWER = new Caller("bob", Caller.Role.VIEWER);

  @Test
  void aThreadBelongsToItsCreatorAndItsEventsNameWhoCausedThem() {
    WorkflowThread created = threads.create(ALICE, command(null, "hello", "two-steps")).thread();
    List<WorkflowThread> batch =
        threads
            .createAll(BOB, List.of(command(null, "one", "two-steps"), command(null, "two", null)))
            .stream()
            .map(CreatedThread::thread)
            .toList();
    threads.pause(Caller.LOCAL_ADMIN, created.id());

    assertThat(created.owner()).isEqualTo("alice");
    assertThat(batch).extracting(WorkflowThread::owner).containsOnly("bob");
    assertThat(store.eventsOf(created.id()))
        .extracting(ThreadEvent::type, ThreadEvent::owner, ThreadEvent::actor)
        .containsExactly(
            tuple(ThreadEventType.THREAD_CREATED, "alice", "alice"),
            tuple(ThreadEventType.THREAD_PAUSED, "alice", Caller.LOCAL_OWNER));
  }

  @Test
  void aNonAdminListsAndCountsOnlyItsOwnThreadsAndAnAdminEveryOne() {
    ThreadId alices = threads.create(ALICE, command(null, "hello", "two-steps")).thread().id();
    ThreadId bobs = threads.create(BOB, command(null, "hello", "two-steps")).thread().id();
    ListThreadsQuery everything = new ListThreadsQuery(Set.of(), null, 0, 10);

    assertThat(threads.list(ALICE, everything).items())
        .extracting(WorkflowThread::id)
        .containsExactly(alices);
    assertThat(threads.list(BOBS_VIEWER, everything).items())
        .extracting(WorkflowThread::id)
        .containsExactly(bobs);
    assertThat(threads.list(ALICE, everything.withOwner("bob")).items())
        .as("a non-admin cannot ask for another owner's threads")
        .extracting(WorkflowThread::id)
        .containsExactly(alices);
    assertThat(threads.count(ALICE, everything).byStatus().get(ThreadStatus.PENDING)).isEqualTo(1);
    assertThat(threads.list(Caller.LOCAL_ADMIN, everything).items())
        .extracting(WorkflowThread::id)
        .containsExactlyInAnyOrder(alices, bobs);
    assertThat(threads.count(Caller.LOCAL_ADMIN, everything).byStatus().get(ThreadStatus.PENDING))
        .isEqualTo(2);
  }

  @Test
  void anotherOwnersThreadIsNotFoundForEveryCallAndStaysAsItWas() {
    WorkflowThread bobs = threads.create(BOB, command(null, "hello", "two-steps")).thread();
    ThreadId id = bobs.id();
    List<Consumer<ThreadId>> calls =
        List.of(
            each -> threads.get(ALICE, each),
            each -> threads.pause(ALICE, each),
            each -> threads.resume(ALICE, each),
            each -> threads.retry(ALICE, each),
            each -> threads.cancel(ALICE, each),
            each -> threads.delete(ALICE, each));

    for (Consumer<ThreadId> call : calls) {
      assertThatThrownBy(() -> call.accept(id)).isInstanceOf(ThreadNotFoundException.class);
    }
    assertThat(store.find(id).orElseThrow().snapshot()).isEqualTo(bobs.snapshot());
    assertThat(threads.get(BOBS_VIEWER, id).id()).isEqualTo(id);
  }

  @Test
  void anIdTakenByAnotherOwnersThreadIsAConflictEvenWithTheSameRequest() {
    ThreadId id = ThreadId.generate();
    threads.create(BOB, command(id, "hello", "two-steps"));

    assertThatThrownBy(() -> threads.create(ALICE, command(id, "hello", "two-steps")))
        .isInstanceOf(ThreadIdConflictException.class);
    assertThatThrownBy(() -> threads.createAll(ALICE, List.of(command(id, "hello", "two-steps"))))
        .isInstanceOf(BatchItemException.class);
    assertThat(threads.create(BOB, command(id, "hello", "two-steps")).created()).isFalse();
  }

  // ---- list and get ----

  @Test
  void listsTheThreadsTheQueryAsksFor() {
    ThreadId pending = create();
    ThreadId paused = create();
    threads.pause(Caller.LOCAL_ADMIN, paused);

    ThreadPage page =
        threads.list(
            Caller.LOCAL_ADMIN, new ListThreadsQuery(Set.of(ThreadStatus.PAUSED), null, 0, 10));

    assertThat(page.items()).extracting(WorkflowThread::id).containsExactly(paused);
    assertThat(page.total()).isEqualTo(1);
    assertThat(
            threads.list(Caller.LOCAL_ADMIN, new ListThreadsQuery(Set.of(), null, 0, 10)).items())
        .extracting(WorkflowThread::id)
        .containsExactlyInAnyOrder(pending, paused);
  }

  @Test
  void countsTheThreadsOfEachStatusThatMatchTheFilter() {
    create();
    threads.pause(Caller.LOCAL_ADMIN, create());
    threads.create(Caller.LOCAL_ADMIN, command(null, "Research the tides", "research"));

    ThreadCounts all =
        threads.count(
            Caller.LOCAL_ADMIN, new ListThreadsQuery(Set.of(ThreadStatus.FAILED), null, 3, 7));
    ThreadCounts research =
        threads.count(Caller.LOCAL_ADMIN, new ListThreadsQuery(Set.of(), "research", 0, 1));

    assertThat(all.byStatus())
        .containsEntry(ThreadStatus.PENDING, 2L)
        .containsEntry(ThreadStatus.PAUSED, 1L)
        .containsEntry(ThreadStatus.FAILED, 0L)
        .hasSize(ThreadStatus.values().length);
    assertThat(all.total()).isEqualTo(3);
    assertThat(research.byStatus()).containsEntry(ThreadStatus.PENDING, 1L);
    assertThat(research.total()).isEqualTo(1);
    ThreadCounts tides =
        threads.count(
            Caller.LOCAL_ADMIN,
            new ListThreadsQuery(
                Set.of(),
                null,
                "TIDES",
                null,
                null,
                ListThreadsQuery.SortBy.CREATED_AT,
                false,
                0,
                1));
    assertThat(tides.total()).isEqualTo(1);
  }

  @Test
  void anUnknownThreadIsNotFound() {
    ThreadId unknown = ThreadId.generate();

    assertThatThrownBy(() -> threads.get(Caller.LOCAL_ADMIN, unknown))
        .isInstanceOf(ThreadNotFoundException.class);
    assertThatThrownBy(() -> threads.pause(Caller.LOCAL_ADMIN, unknown))
        .isInstanceOf(ThreadNotFoundException.class);
    assertThatThrownBy(() -> threads.resume(Caller.LOCAL_ADMIN, unknown))
        .isInstanceOf(ThreadNotFoundException.class);
    assertThatThrownBy(() -> threads.retry(Caller.LOCAL_ADMIN, unknown))
        .isInstanceOf(ThreadNotFoundException.class);
    assertThatThrownBy(() -> threads.delete(Caller.LOCAL_ADMIN, unknown))
        .isInstanceOf(ThreadNotFoundException.class);
    assertThat(signals.runnable).isEmpty();
    assertThat(signals.deleted).isEmpty();
  }

  // ---- pause, resume, retry, delete ----

  @Test
  void pauseStoresThePauseOnceAndAgainChangesNothing() {
    ThreadId id = create();
    clock.advance(Duration.ofSeconds(5));

    WorkflowThread paused = threads.pause(Caller.LOCAL_ADMIN, id);
    WorkflowThread pausedAgain = threads.pause(Caller.LOCAL_ADMIN, id);

    assertThat(paused.status()).isEqualTo(ThreadStatus.PAUSED);
    assertThat(paused.lastUpdated()).isEqualTo(SettableClock.START.plusSeconds(5));
    assertThat(paused.version()).isEqualTo(1);
    assertThat(pausedAgain.snapshot()).isEqualTo(paused.snapshot());
    assertThat(store.eventTypesOf(id)).containsExactly(THREAD_CREATED, THREAD_PAUSED);
  }

  @Test
  void resumeMakesAPausedThreadPendingAndSignalsTheEngine() {
    ThreadId id = create();
    threads.pause(Caller.LOCAL_ADMIN, id);
    signals.runnable.clear();

    WorkflowThread resumed = threads.resume(Caller.LOCAL_ADMIN, id);

    assertThat(resumed.status()).isEqualTo(ThreadStatus.PENDING);
    assertThat(store.find(id).orElseThrow().status()).isEqualTo(ThreadStatus.PENDING);
    assertThat(store.eventTypesOf(id))
        .containsExactly(THREAD_CREATED, THREAD_PAUSED, THREAD_RESUMED);
    assertThat(signals.runnable).containsExactly(id);
  }

  @Test
  void resumingAThreadThatIsNotPausedChangesNothing() {
    ThreadId id = create();

    WorkflowThread resumed = threads.resume(Caller.LOCAL_ADMIN, id);

    assertThat(resumed.version()).isZero();
    assertThat(store.eventTypesOf(id)).containsExactly(THREAD_CREATED);
  }

  @Test
  void retryRunsAFailedThreadAgainAndSignalsTheEngine() {
    ThreadId id = create();
    failAsTheEngineWould(id);
    signals.runnable.clear();

    WorkflowThread retried = threads.retry(Caller.LOCAL_ADMIN, id);

    assertThat(retried.status()).isEqualTo(ThreadStatus.PENDING);
    assertThat(retried.errorMessage()).isNull();
    assertThat(retried.step("a").orElseThrow().status()).isEqualTo(StepStatus.PENDING);
    assertThat(store.eventTypesOf(id)).last().isEqualTo(THREAD_RETRIED);
    assertThat(signals.runnable).containsExactly(id);
  }

  @Test
  void retryOfAThreadThatDidNotFailIsRefusedAndChangesNothing() {
    ThreadId id = create();

    assertThatThrownBy(() -> threads.retry(Caller.LOCAL_ADMIN, id))
        .isInstanceOf(IllegalTransitionException.class);

    assertThat(store.find(id).orElseThrow().version()).isZero();
    assertThat(store.eventTypesOf(id)).containsExactly(THREAD_CREATED);
    assertThat(signals.runnable).containsExactly(id);
  }

  @Test
  void deleteRemovesTheThreadWithItsLastEventAndSignalsTheEngine() {
    ThreadId id = create();

    threads.delete(Caller.LOCAL_ADMIN, id);

    assertThat(store.find(id)).isEmpty();
    assertThat(store.eventTypesOf(id)).containsExactly(THREAD_CREATED, THREAD_DELETED);
    assertThat(signals.deleted).containsExactly(id);
    assertThatThrownBy(() -> threads.delete(Caller.LOCAL_ADMIN, id))
        .isInstanceOf(ThreadNotFoundException.class);
    assertThat(signals.deleted).containsExactly(id);
  }

  @Test
  void cancelKeepsTheThreadAsFailedWithItsEventsAndSignalsTheEngine() {
    ThreadId id = create();

    WorkflowThread cancelled = threads.cancel(Caller.LOCAL_ADMIN, id);

    assertThat(cancelled.status()).isEqualTo(ThreadStatus.FAILED);
    assertThat(cancelled.errorMessage()).isEqualTo("cancelled");
    assertThat(store.find(id).orElseThrow().snapshot()).isEqualTo(cancelled.snapshot());
    assertThat(store.eventTypesOf(id)).containsExactly(THREAD_CREATED, THREAD_FAILED);
    assertThat(signals.cancelled).containsExactly(id);
    assertThatThrownBy(() -> threads.cancel(Caller.LOCAL_ADMIN, id))
        .isInstanceOf(IllegalTransitionException.class);
    assertThatThrownBy(() -> threads.cancel(Caller.LOCAL_ADMIN, ThreadId.generate()))
        .isInstanceOf(ThreadNotFoundException.class);
    assertThat(signals.cancelled).containsExactly(id);
  }

  @Test
  void aPauseThatLosesARaceToTheEnginesWriteIsAppliedToTheThreadAsStored() {
    ThreadId id = create();
    ThreadService racing = racedOnUpdate(1, this::startAsTheEngineWould);

    WorkflowThread paused = racing.pause(Caller.LOCAL_ADMIN, id);

    // the engine's start is kept; the pause waits for the step the engine started
    assertThat(paused.status()).isEqualTo(ThreadStatus.PAUSED);
    assertThat(paused.step("a").orElseThrow().status()).isEqualTo(StepStatus.RUNNING);
    assertThat(store.find(id).orElseThrow().snapshot()).isEqualTo(paused.snapshot());
    assertThat(store.eventTypesOf(id))
        .containsExactly(THREAD_CREATED, THREAD_STARTED, STEP_STARTED);
  }

  @Test
  void aCallThatKeepsLosingRacesGivesUpWithTheLastOne() {
    ThreadId id = create();
    ThreadService alwaysRaced = racedOnUpdate(Integer.MAX_VALUE, this::nudgeAsTheEngineWould);

    assertThatThrownBy(() -> alwaysRaced.pause(Caller.LOCAL_ADMIN, id))
        .isInstanceOf(ConcurrentThreadUpdateException.class);

    assertThat(store.find(id).orElseThrow().status()).isNotEqualTo(ThreadStatus.PAUSED);
    assertThat(store.eventTypesOf(id)).doesNotContain(THREAD_PAUSED);
  }

  // ---- helpers ----

  private ThreadId create() {
    return threads.create(Caller.LOCAL_ADMIN, command(null, "hello", "two-steps")).thread().id();
  }

  private static CreateThreadCommand command(ThreadId id, String prompt, String type) {
    return new CreateThreadCommand(id, new ThreadRequest(prompt, type, null, null));
  }

  /** Claims the thread and starts it with its step a, through the claims as the engine does. */
  private void startAsTheEngineWould(ThreadId id) {
    WorkflowThread claimed = claim(id);
    claimed.start(clock.instant());
    claimed.startStep("a", clock.instant());
    store.updateIfHeld(claimed, "engine");
  }

  /**
   * An engine's write that moves the version on and leaves the thread running, however often it
   * comes: an attempt at step a starts, or fails with attempts to spare.
   */
  private void nudgeAsTheEngineWould(ThreadId id) {
    WorkflowThread thread = store.find(id).orElseThrow();
    if (thread.status() == ThreadStatus.PENDING) {
      startAsTheEngineWould(id);
      return;
    }
    if (thread.runningStep().isPresent()) {
      thread.failStep(
          "a", "again", new RetryPolicy(RetryPolicy.MAX_ATTEMPTS_LIMIT, 0), clock.instant());
    } else {
      thread.startStep("a", clock.instant());
    }
    store.updateIfHeld(thread, "engine");
  }

  private void failAsTheEngineWould(ThreadId id) {
    WorkflowThread claimed = claim(id);
    claimed.start(clock.instant());
    claimed.startStep("a", clock.instant());
    claimed.failStep("a", "boom", RetryPolicy.NONE, clock.instant());
    store.updateIfHeld(claimed, "engine");
  }

  private WorkflowThread claim(ThreadId id) {
    List<WorkflowThread> claimed =
        store.claim("engine", clock.instant(), clock.instant().plusSeconds(30), 1);
    assertThat(claimed).extracting(WorkflowThread::id).containsExactly(id);
    return claimed.get(0);
  }

  /** A create that looks for its id before another request stores it, and inserts after. */
  private ThreadService racingCreates(ThreadId id, String winnersPrompt) {
    InterferedStore beaten = new InterferedStore(store);
    beaten.beforeInsert =
        () ->
            store.insert(
                WorkflowThread.create(
                    id,
                    new ThreadRequest(winnersPrompt, "two-steps", null, null),
                    workflows.get("two-steps"),
                    clock.instant()));
    return new ThreadService(beaten, workflows, clock, signals);
  }

  /** A use case whose first {@code times} updates another writer gets in just before. */
  private ThreadService racedOnUpdate(int times, Consumer<ThreadId> otherWriter) {
    InterferedStore raced = new InterferedStore(store);
    raced.updatesToInterfere = times;
    raced.beforeUpdate = otherWriter;
    return new ThreadService(raced, workflows, clock, signals);
  }

  /** The signals the use cases sent the engine. */
  private static final class RecordedSignals implements EngineSignal {

    final List<ThreadId> runnable = new ArrayList<>();
    final List<ThreadId> deleted = new ArrayList<>();
    final List<ThreadId> cancelled = new ArrayList<>();

    @Override
    public void runnable(ThreadId id) {
      runnable.add(id);
    }

    @Override
    public void deleted(ThreadId id) {
      deleted.add(id);
    }

    @Override
    public void cancelled(ThreadId id) {
      cancelled.add(id);
    }
  }
}
