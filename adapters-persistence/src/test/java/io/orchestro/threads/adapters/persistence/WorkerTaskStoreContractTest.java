package io.orchestro.threads.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestro.threads.application.port.out.WorkerTaskStore;
import io.orchestro.threads.application.port.out.WorkerTaskStore.CancelledTask;
import io.orchestro.threads.application.port.out.WorkflowThreadStore;
import io.orchestro.threads.domain.Caller;
import io.orchestro.threads.domain.TestWorkflows;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.WorkerTask;
import io.orchestro.threads.domain.WorkflowThread;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every worker task store promises (docs/api.md "Tasks"). */
public abstract class WorkerTaskStoreContractTest {

  protected static final Instant T0 = Instant.parse("2026-12-04T10:00:00.123456Z");

  protected WorkflowThreadStore threads;
  protected WorkerTaskStore tasks;

  /** Empty stores of threads and of tasks, in {@link #threads} and {@link #tasks}. */
  protected abstract void openEmptyStores();

  @BeforeEach
  void open() {
    openEmptyStores();
  }

  protected ThreadId storedThread() {
    return threads.insert(TestWorkflows.pendingThread()).id();
  }

  protected static WorkerTask task(ThreadId thread, String queue, int attempt, Instant at) {
    return WorkerTask.queued(
        queue,
        thread,
        "work",
        attempt,
        Duration.ofSeconds(30),
        Map.of("queue", queue),
        Map.of("prompt", "p \"quoted\""),
        Map.of("plan", Map.of("text", "the plan")),
        at);
  }

  @Test
  void anAttemptIsOfferedOnceAndReadBackAsOffered() {
    ThreadId thread = storedThread();
    WorkerTask offered = tasks.offer(task(thread, "q", 1, T0));

    WorkerTask again = tasks.offer(task(thread, "q", 1, T0.plusSeconds(1)));

    assertThat(again).isEqualTo(offered);
    assertThat(tasks.find(offered.taskId())).contains(offered);
    assertThat(tasks.findAttempt(thread, "work", 1)).contains(offered);
    assertThat(tasks.findAttempt(thread, "work", 2)).isEmpty();
    assertThat(offered.stepOutputs()).isEqualTo(Map.of("plan", Map.of("text", "the plan")));
  }

  @Test
  void aPollLeasesTheOldestQueuedTasksOfItsQueuesEachOnce() {
    ThreadId thread = storedThread();
    WorkerTask older = tasks.offer(task(thread, "q", 1, T0));
    WorkerTask newer = tasks.offer(task(thread, "q", 2, T0.plusSeconds(1)));
    tasks.offer(task(thread, "other", 3, T0));

    List<WorkerTask> first = tasks.lease(List.of("q"), "w-1", T0.plusSeconds(5), 1);
    List<WorkerTask> second = tasks.lease(List.of("q"), "w-2", T0.plusSeconds(5), 10);
    List<WorkerTask> none = tasks.lease(List.of("q"), "w-3", T0.plusSeconds(5), 10);

    assertThat(first).extracting(WorkerTask::taskId).containsExactly(older.taskId());
    assertThat(second).extracting(WorkerTask::taskId).containsExactly(newer.taskId());
    assertThat(none).isEmpty();
    WorkerTask leased = first.get(0);
    assertThat(leased.state()).isEqualTo(WorkerTask.State.LEASED);
    assertThat(leased.workerId()).isEqualTo("w-1");
    assertThat(leased.leaseUntil()).isEqualTo(T0.plusSeconds(35));
    assertThat(tasks.find(older.taskId())).contains(leased);
  }

  @Test
  void aPollForOneOwnerLeasesOnlyTheTasksOfThatOwnersThreads() {
    ThreadId alices =
        threads
            .insert(
                WorkflowThread.create(
                    ThreadId.generate(),
                    "alice",
                    TestWorkflows.request("mine"),
                    TestWorkflows.definition("test", "a"),
                    T0))
            .id();
    WorkerTask others = tasks.offer(task(storedThread(), "q", 1, T0));
    WorkerTask hers = tasks.offer(task(alices, "q", 1, T0.plusSeconds(1)));

    assertThat(tasks.lease(List.of("q"), "w-1", T0.plusSeconds(5), 10, "alice"))
        .extracting(WorkerTask::taskId)
        .containsExactly(hers.taskId());
    assertThat(tasks.lease(List.of("q"), "w-2", T0.plusSeconds(5), 10, "bob")).isEmpty();
    assertThat(tasks.lease(List.of("q"), "w-3", T0.plusSeconds(5), 10))
        .extracting(WorkerTask::taskId)
        .containsExactly(others.taskId());
  }

  @Test
  void aChangeIsSavedOnlyOverTheVersionItWasMadeFrom() {
    ThreadId thread = storedThread();
    tasks.offer(task(thread, "q", 1, T0));
    WorkerTask leased = tasks.lease(List.of("q"), "w", T0, 1).get(0);

    assertThat(tasks.update(leased.completed(Map.of("answer", 42)))).isTrue();
    assertThat(tasks.update(leased.failed("too late", true))).isFalse();

    WorkerTask stored = tasks.find(leased.taskId()).orElseThrow();
    assertThat(stored.state()).isEqualTo(WorkerTask.State.COMPLETED);
    assertThat(stored.output()).isEqualTo(Map.of("answer", 42));
    assertThat(stored.version()).isEqualTo(leased.version() + 1);
  }

  @Test
  void theTaskAWorkerHeldWhenItsThreadWasDeletedIsMarkedCancelledUntilItsLeaseRunsOut() {
    ThreadId thread = storedThread();
    tasks.offer(task(thread, "q", 1, T0));
    WorkerTask held = tasks.lease(List.of("q"), "w", T0, 1).get(0);
    WorkerTask queued = tasks.offer(task(thread, "q", 2, T0.plusSeconds(1)));
    ThreadId other = storedThread();
    WorkerTask othersTask = tasks.offer(task(other, "q", 1, T0.plusSeconds(2)));

    delete(thread, T0.plusSeconds(10));

    assertThat(tasks.find(held.taskId())).isEmpty();
    assertThat(tasks.find(queued.taskId())).isEmpty();
    assertThat(tasks.ofThread(thread)).isEmpty();
    assertThat(tasks.findCancelled(held.taskId()))
        .contains(new CancelledTask(held.taskId(), Caller.LOCAL_OWNER, T0.plusSeconds(30)));
    assertThat(tasks.findCancelled(queued.taskId())).isEmpty();
    assertThat(tasks.find(othersTask.taskId())).isPresent();
    assertThat(tasks.findCancelled(othersTask.taskId())).isEmpty();
    assertThat(tasks.lease(List.of("q"), "w", T0.plusSeconds(10), 10))
        .extracting(WorkerTask::taskId)
        .containsExactly(othersTask.taskId());

    // a later delete, once that lease has run out, removes the mark
    delete(storedThread(), T0.plusSeconds(30));
    assertThat(tasks.findCancelled(held.taskId())).isEmpty();
  }

  @Test
  void aTaskWhoseLeaseRanOutBeforeItsThreadWasDeletedLeavesNoMark() {
    ThreadId thread = storedThread();
    tasks.offer(task(thread, "q", 1, T0));
    WorkerTask held = tasks.lease(List.of("q"), "w", T0, 1).get(0);

    delete(thread, T0.plusSeconds(31));

    assertThat(tasks.findCancelled(held.taskId())).isEmpty();
  }

  @Test
  void retentionsDeleteMarksTheHeldTaskAndARefusedOneLeavesTaskAndThreadAsTheyWere() {
    ThreadId thread = storedThread();
    tasks.offer(task(thread, "q", 1, T0));
    WorkerTask held = tasks.lease(List.of("q"), "w", T0, 1).get(0);
    WorkflowThread stale = threads.find(thread).orElseThrow();
    // someone changes the thread after retention read it: its delete is refused
    WorkflowThread paused = threads.find(thread).orElseThrow();
    paused.pause(Caller.LOCAL_OWNER, T0.plusSeconds(5));
    threads.update(paused);
    stale.delete(T0.plusSeconds(10));

    assertThat(threads.deleteUnchanged(stale)).isFalse();
    assertThat(tasks.find(held.taskId())).contains(held);
    assertThat(tasks.findCancelled(held.taskId())).isEmpty();

    WorkflowThread current = threads.find(thread).orElseThrow();
    current.delete(T0.plusSeconds(10));
    assertThat(threads.deleteUnchanged(current)).isTrue();
    assertThat(tasks.find(held.taskId())).isEmpty();
    assertThat(tasks.findCancelled(held.taskId()))
        .contains(new CancelledTask(held.taskId(), Caller.LOCAL_OWNER, T0.plusSeconds(30)));
  }

  /** Deletes the thread as a person does, at {@code at}. */
  protected void delete(ThreadId id, Instant at) {
    WorkflowThread thread = threads.find(id).orElseThrow();
    thread.delete(at);
    assertThat(threads.delete(thread)).isTrue();
  }

  @Test
  void aThreadsTasksAreListedOldestFirstEachAsOfferedWithItsLeaseAndResult() {
    ThreadId thread = storedThread();
    ThreadId other = storedThread();
    // as a copy from another store offers them: leased, finished
    WorkerTask leased = tasks.offer(task(thread, "q", 2, T0.plusSeconds(1)).leasedTo("w", T0));
    WorkerTask completed =
        tasks.offer(task(thread, "q", 1, T0).leasedTo("w", T0).completed(Map.of("answer", 42)));
    tasks.offer(task(other, "q", 1, T0));

    assertThat(tasks.ofThread(thread)).containsExactly(completed, leased);
    assertThat(completed.output()).isEqualTo(Map.of("answer", 42));
    assertThat(leased.workerId()).isEqualTo("w");
    assertThat(leased.leaseUntil()).isEqualTo(T0.plusSeconds(30));
  }
}
