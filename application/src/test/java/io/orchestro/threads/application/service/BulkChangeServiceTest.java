package io.orchestro.threads.application.service;

import static io.orchestro.threads.application.testing.WorkflowCommands.step;
import static io.orchestro.threads.application.testing.WorkflowCommands.workflow;
import static io.orchestro.threads.domain.ThreadEventType.THREAD_CREATED;
import static io.orchestro.threads.domain.ThreadEventType.THREAD_DELETED;
import static io.orchestro.threads.domain.ThreadEventType.THREAD_FAILED;
import static io.orchestro.threads.domain.ThreadEventType.THREAD_PAUSED;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestro.threads.application.agent.Agents;
import io.orchestro.threads.application.port.in.BulkChangeCommand;
import io.orchestro.threads.application.port.in.BulkChangeUseCase.BulkResult;
import io.orchestro.threads.application.port.in.CreateThreadCommand;
import io.orchestro.threads.application.port.out.EngineSignal;
import io.orchestro.threads.application.testing.InMemoryThreadStore;
import io.orchestro.threads.application.testing.InMemoryWorkflowCatalog;
import io.orchestro.threads.application.testing.SettableClock;
import io.orchestro.threads.application.testing.StandInAgents;
import io.orchestro.threads.domain.Caller;
import io.orchestro.threads.domain.ThreadAction;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadRequest;
import io.orchestro.threads.domain.ThreadStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bulk changes on a store in memory, read two threads a page: every test's threads span several
 * pages, which is what proves the paging (a bulk over a million threads reads them the same way).
 */
class BulkChangeServiceTest {

  private static final int PAGE_SIZE = 2;

  private final InMemoryThreadStore store = new InMemoryThreadStore();
  private final SettableClock clock = SettableClock.standingStill();
  private final WorkflowService workflows =
      new WorkflowService(new InMemoryWorkflowCatalog(), new Agents(StandInAgents.all()), clock);
  private final ThreadService threads =
      new ThreadService(store, workflows, clock, EngineSignal.NONE);
  private final BulkChangeService bulk = new BulkChangeService(store, threads, clock, PAGE_SIZE);

  @BeforeEach
  void workflows() {
    workflows.put(workflow("one", step("a", "echo", Map.of())));
    workflows.put(workflow("other", step("a", "echo", Map.of())));
  }

  @Test
  void pausesEveryMatchingThreadAcrossPagesEachWithItsOwnEvent() {
    List<ThreadId> pending = create("one", 5);
    ThreadId alreadyPaused = create("one", 1).get(0);
    threads.pause(Caller.LOCAL_ADMIN, alreadyPaused);
    ThreadId otherType = create("other", 1).get(0);

    BulkResult result =
        bulk.change(
            Caller.LOCAL_ADMIN, command(ThreadAction.PAUSE, Set.of(), "one", null, List.of()));

    assertThat(result).isEqualTo(new BulkResult(6, 5, 1));
    for (ThreadId id : pending) {
      assertThat(threads.get(Caller.LOCAL_ADMIN, id).status()).isEqualTo(ThreadStatus.PAUSED);
      assertThat(store.eventTypesOf(id)).containsExactly(THREAD_CREATED, THREAD_PAUSED);
    }
    assertThat(store.eventTypesOf(alreadyPaused)).containsExactly(THREAD_CREATED, THREAD_PAUSED);
    assertThat(threads.get(Caller.LOCAL_ADMIN, otherType).status()).isEqualTo(ThreadStatus.PENDING);
  }

  @Test
  void threadsThatLeaveTheStatusFilterAsTheyChangeDoNotShiftTheNextPage() {
    List<ThreadId> pending = create("one", 7);

    BulkResult result =
        bulk.change(
            Caller.LOCAL_ADMIN,
            command(ThreadAction.CANCEL, Set.of(ThreadStatus.PENDING), null, null, List.of()));

    assertThat(result).isEqualTo(new BulkResult(7, 7, 0));
    assertThat(pending)
        .allSatisfy(
            id -> {
              assertThat(threads.get(Caller.LOCAL_ADMIN, id).errorMessage()).isEqualTo("cancelled");
              assertThat(store.eventTypesOf(id)).last().isEqualTo(THREAD_FAILED);
            });
  }

  @Test
  void aNonAdminChangesOnlyItsOwnThreadsWhateverTheFilterNames() {
    Caller alice = new Caller("alice", Caller.Role.OPERATOR);
    List<ThreadId> alices = create(alice, "one", 2);
    List<ThreadId> bobs = create(new Caller("bob", Caller.Role.OPERATOR), "one", 2);
    List<ThreadId> named = List.of(alices.get(0), bobs.get(0));

    assertThat(bulk.change(alice, command(ThreadAction.PAUSE, Set.of(), null, null, named)))
        .isEqualTo(new BulkResult(1, 1, 0));
    assertThat(bulk.change(alice, command(ThreadAction.PAUSE, Set.of(), null, null, List.of())))
        .isEqualTo(new BulkResult(2, 1, 1));
    for (ThreadId id : bobs) {
      assertThat(store.eventTypesOf(id)).containsExactly(THREAD_CREATED);
    }
    assertThat(alices)
        .allSatisfy(
            id -> assertThat(threads.get(alice, id).status()).isEqualTo(ThreadStatus.PAUSED));
  }

  @Test
  void aCallTheTableRefusesIsSkippedNotAnError() {
    create("one", 3);

    BulkResult result =
        bulk.change(
            Caller.LOCAL_ADMIN, command(ThreadAction.RETRY, Set.of(), null, null, List.of()));

    assertThat(result).isEqualTo(new BulkResult(3, 0, 3));
  }

  @Test
  void onlyThreadsCreatedBeforeTheGivenTime() {
    List<ThreadId> early = create("one", 3);
    Instant cut = clock.instant();
    clock.advance(Duration.ofMinutes(1));
    List<ThreadId> late = create("one", 2);

    BulkResult result =
        bulk.change(
            Caller.LOCAL_ADMIN, command(ThreadAction.DELETE, Set.of(), null, cut, List.of()));

    assertThat(result).isEqualTo(new BulkResult(3, 3, 0));
    assertThat(early).allSatisfy(id -> assertThat(store.find(id)).isEmpty());
    assertThat(early)
        .allSatisfy(id -> assertThat(store.eventTypesOf(id)).last().isEqualTo(THREAD_DELETED));
    assertThat(late).allSatisfy(id -> assertThat(store.find(id)).isPresent());
  }

  @Test
  void namedThreadsAreChangedWhenTheOtherFiltersMatchThemAndUnknownIdsMatchNothing() {
    List<ThreadId> ids = create("one", 2);
    ThreadId otherType = create("other", 1).get(0);

    BulkResult result =
        bulk.change(
            Caller.LOCAL_ADMIN,
            command(
                ThreadAction.PAUSE,
                Set.of(),
                "one",
                null,
                List.of(ids.get(0), ids.get(0), otherType, ThreadId.generate())));

    assertThat(result).isEqualTo(new BulkResult(1, 1, 0));
    assertThat(threads.get(Caller.LOCAL_ADMIN, ids.get(0)).status()).isEqualTo(ThreadStatus.PAUSED);
    assertThat(threads.get(Caller.LOCAL_ADMIN, ids.get(1)).status())
        .isEqualTo(ThreadStatus.PENDING);
    assertThat(threads.get(Caller.LOCAL_ADMIN, otherType).status()).isEqualTo(ThreadStatus.PENDING);
  }

  private List<ThreadId> create(String type, int count) {
    return create(Caller.LOCAL_ADMIN, type, count);
  }

  private List<ThreadId> create(Caller owner, String type, int count) {
    List<ThreadId> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(
          threads
              .create(
                  owner,
                  new CreateThreadCommand(null, new ThreadRequest("thread " + i, type, null, null)))
              .thread()
              .id());
      // threads created at distinct times, all before the bulk call begins
      clock.advance(Duration.ofMillis(1));
    }
    return ids;
  }

  private static BulkChangeCommand command(
      ThreadAction action,
      Set<ThreadStatus> statuses,
      String type,
      Instant createdBefore,
      List<ThreadId> ids) {
    return new BulkChangeCommand(action, statuses, type, createdBefore, ids);
  }
}
