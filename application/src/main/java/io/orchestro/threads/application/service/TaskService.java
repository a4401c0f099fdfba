package io.orchestro.threads.application.service;

import io.orchestro.threads.application.port.in.TaskConflictException;
import io.orchestro.threads.application.port.in.TaskNotFoundException;
import io.orchestro.threads.application.port.in.WorkTasksUseCase;
import io.orchestro.threads.application.port.out.EngineSignal;
import io.orchestro.threads.application.port.out.StepProgressReports;
import io.orchestro.threads.application.port.out.TaskOffers;
import io.orchestro.threads.application.port.out.ThreadClaims;
import io.orchestro.threads.application.port.out.WorkerTaskStore;
import io.orchestro.threads.application.port.out.WorkerTaskStore.CancelledTask;
import io.orchestro.threads.domain.Caller;
import io.orchestro.threads.domain.StepStatus;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.ThreadStep;
import io.orchestro.threads.domain.WorkerTask;
import io.orchestro.threads.domain.WorkflowThread;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The task API. A long poll holds no database connection while it waits: it is a future that this
 * service completes when a task is offered on this node ({@link #offered}) or announced by another
 * node sharing the database ({@link TaskOffers}), or when a look at the store every {@code recheck}
 * finds one (an announcement missed), or with no tasks when its wait is over.
 *
 * <p>A completion or failure is stored with the task only; the parked attempt of the thread is
 * woken and reads it from there, so a thread is written by its engine alone.
 */
public final class TaskService implements WorkTasksUseCase, AutoCloseable {

  private static final Logger LOG = System.getLogger(TaskService.class.getName());

  /**
   * How long after a task is finished its thread is woken again when the first wake found it held;
   * each further try waits twice as long, {@link #WAKE_AGAIN_TRIES} in all: about 13 s, beyond the
   * longest park write seen under load.
   */
  private static final long WAKE_AGAIN_FIRST_MILLIS = 50;

  private static final int WAKE_AGAIN_TRIES = 8;

  private final WorkerTaskStore tasks;
  private final ThreadClaims threads;
  private final EngineSignal engine;
  private final Clock clock;
  private final TaskOffers otherNodes;
  private final StepProgressReports progress;
  private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();

  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "orchestro-task-polls");
            thread.setDaemon(true);
            return thread;
          });

  public TaskService(
      WorkerTaskStore tasks,
      ThreadClaims threads,
      EngineSignal engine,
      Clock clock,
      TaskOffers otherNodes,
      Duration recheck,
      StepProgressReports progress) {
    this.tasks = tasks;
    this.threads = threads;
    this.engine = engine;
    this.clock = clock;
    this.otherNodes = otherNodes;
    this.progress = progress;
    long every = recheck.toMillis();
    timer.scheduleWithFixedDelay(this::serveWaiters, every, every, TimeUnit.MILLISECONDS);
    otherNodes.listen(this::serveQueue);
  }

  @Override
  public CompletableFuture<List<WorkerTask>> poll(Caller caller, PollTasksCommand command) {
    List<WorkerTask> leased = leaseLive(caller, command);
    if (!leased.isEmpty() || command.waitFor().isZero()) {
      return CompletableFuture.completedFuture(leased);
    }
    Waiter waiter = new Waiter(caller, command);
    waiters.add(waiter);
    timer.schedule(
        () -> waiter.answer(List.of()), command.waitFor().toMillis(), TimeUnit.MILLISECONDS);
    // a task offered between the first look and the registration is not missed
    timer.execute(() -> serve(waiter));
    return waiter.answer;
  }

  /**
   * A task was offered to {@code queue} on this node: the polls waiting for it here get it now, and
   * the other nodes are told, for theirs.
   */
  public void offered(String queue) {
    serveQueue(queue);
    try {
      otherNodes.announce(queue);
    } catch (RuntimeException storeTrouble) {
      // the task is stored: the other nodes' polls find it at their next look
      LOG.log(Level.WARNING, "could not tell the other nodes of a task offered", storeTrouble);
    }
  }

  private void serveQueue(String queue) {
    if (timer.isShutdown()) {
      return; // closing: the waiting polls were answered
    }
    timer.execute(
        () ->
            waiters.stream().filter(w -> w.command.queues().contains(queue)).forEach(this::serve));
  }

  /** How many long polls wait on this node now. */
  public int waitingPolls() {
    return waiters.size();
  }

  @Override
  public Lease heartbeat(Caller caller, UUID taskId, String progress) {
    Optional<WorkerTask> stored = tasks.find(taskId);
    WorkflowThread thread = threadOf(stored);
    if (thread == null) {
      // its thread was deleted: the worker is told to stop, until its lease would have run out
      return new Lease(cancelledWithItsThread(caller, taskId).leaseUntil(), true);
    }
    WorkerTask task = held(caller, stored.get(), thread);
    WorkerTask extended = task.heartbeat(progress, clock.instant());
    if (!tasks.update(extended)) {
      throw new TaskConflictException("task " + taskId + " was finished meanwhile");
    }
    boolean stillRuns = attemptRuns(thread, task);
    if (stillRuns && progress != null) {
      this.progress.report(task.threadId(), task.step(), task.attempt(), progress);
    }
    return new Lease(extended.leaseUntil(), !stillRuns);
  }

  @Override
  public void complete(Caller caller, UUID taskId, Map<String, Object> output) {
    finish(caller, taskId, task -> task.completed(output == null ? Map.of() : output));
  }

  @Override
  public void fail(Caller caller, UUID taskId, String error, boolean retryable) {
    String message = error == null || error.isBlank() ? "the worker failed the task" : error;
    finish(caller, taskId, task -> task.failed(message, retryable));
  }

  @Override
  public void close() {
    timer.shutdownNow();
    waiters.forEach(waiter -> waiter.answer(List.of()));
  }

  /**
   * Saves the task as finished, provided the worker still holds it and the thread still waits for
   * its attempt, and wakes the thread. One read of the task and one of its thread.
   */
  private void finish(Caller caller, UUID taskId, UnaryOperator<WorkerTask> finishing) {
    Optional<WorkerTask> stored = tasks.find(taskId);
    WorkflowThread thread = threadOf(stored);
    if (thread == null) {
      cancelledWithItsThread(caller, taskId);
      throw new TaskConflictException("task " + taskId + ": its thread was deleted");
    }
    WorkerTask task = held(caller, stored.get(), thread);
    if (!attemptRuns(thread, task)) {
      throw new TaskConflictException(
          "task " + taskId + ": its attempt was superseded or cancelled");
    }
    if (!tasks.update(finishing.apply(task))) {
      throw new TaskConflictException("task " + taskId + " was finished meanwhile");
    }
    boolean woken = threads.wake(task.threadId());
    engine.runnable(task.threadId());
    if (!woken) {
      wakeAgainLater(task.threadId(), 0);
    }
  }

  /**
   * Wakes the thread of a finished task again, after waits doubling from {@link
   * #WAKE_AGAIN_FIRST_MILLIS}, until one wake finds it let go, when the first wake found it held.
   * Its engine may have read the task as still leased just before it was finished: it then parks
   * the attempt and lets go until the attempt's due time, and the wake above, made while the engine
   * still held the thread, was lost. A wake that comes after the thread moved on costs its engine
   * one claim: the engine sees the thread's own wait, such as a retry backoff, and lets go again.
   */
  private void wakeAgainLater(ThreadId threadId, int tries) {
    if (tries == WAKE_AGAIN_TRIES || timer.isShutdown()) {
      return;
    }
    try {
      timer.schedule(
          () -> {
            if (threads.wake(threadId)) {
              engine.runnable(threadId);
            } else {
              wakeAgainLater(threadId, tries + 1);
            }
          },
          WAKE_AGAIN_FIRST_MILLIS << tries,
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closing) {
      // the node stops: the next owner claims the thread when its attempt is due
    }
  }

  /** The stored task's thread, or null when there is no such task or its thread is gone. */
  private WorkflowThread threadOf(Optional<WorkerTask> stored) {
    return stored.flatMap(task -> threads.find(task.threadId())).orElse(null);
  }

  /** The task, while a worker holds it; else why not. Another owner's task is not found. */
  private WorkerTask held(Caller caller, WorkerTask task, WorkflowThread thread) {
    if (!caller.sees(thread.owner())) {
      throw new TaskNotFoundException(task.taskId());
    }
    if (task.state() != WorkerTask.State.LEASED) {
      throw new TaskConflictException("task " + task.taskId() + " is " + task.state().wireName());
    }
    if (!task.leasedAt(clock.instant())) {
      throw new TaskConflictException(
          "task " + task.taskId() + " timed out: no heartbeat within its heartbeat timeout");
    }
    return task;
  }

  /**
   * True while the thread still waits for this very attempt: not paused, finished, or moved on to a
   * newer attempt.
   */
  private static boolean attemptRuns(WorkflowThread thread, WorkerTask task) {
    if (!(thread.status() == ThreadStatus.RUNNING || thread.status() == ThreadStatus.PENDING)) {
      return false;
    }
    ThreadStep step = thread.step(task.step()).orElse(null);
    return step != null && step.status() == StepStatus.RUNNING && step.attempts() == task.attempt();
  }

  /**
   * A task that a worker held when its thread was deleted (its task with it), while its lease would
   * still run: the store keeps the mark, so every node answers so, after a restart too.
   *
   * @throws TaskNotFoundException otherwise, or when the caller does not see the thread's owner
   */
  private CancelledTask cancelledWithItsThread(Caller caller, UUID taskId) {
    Instant now = clock.instant();
    return tasks
        .findCancelled(taskId)
        .filter(cancelled -> cancelled.leaseUntil().isAfter(now) && caller.sees(cancelled.owner()))
        .orElseThrow(() -> new TaskNotFoundException(taskId));
  }

  /**
   * Leases tasks for the poll; a task whose attempt no longer runs is failed and left out. Their
   * threads are read in one go.
   */
  private List<WorkerTask> leaseLive(Caller caller, PollTasksCommand command) {
    List<WorkerTask> leased =
        tasks.lease(
            command.queues(),
            command.workerId(),
            clock.instant(),
            command.max(),
            caller.ownerFilter());
    if (leased.isEmpty()) {
      return leased;
    }
    Map<ThreadId, WorkflowThread> threadsOfTasks =
        threads.findAll(leased.stream().map(WorkerTask::threadId).toList());
    List<WorkerTask> live = new ArrayList<>();
    for (WorkerTask task : leased) {
      WorkflowThread thread = threadsOfTasks.get(task.threadId());
      if (thread != null && attemptRuns(thread, task)) {
        live.add(task);
      } else {
        tasks.update(task.failed("its attempt was superseded or cancelled", false));
      }
    }
    return live;
  }

  private void serveWaiters() {
    waiters.forEach(this::serve);
  }

  private void serve(Waiter waiter) {
    if (waiter.answer.isDone()) {
      waiters.remove(waiter);
      return;
    }
    try {
      List<WorkerTask> leased = leaseLive(waiter.caller, waiter.command);
      if (!leased.isEmpty() && !waiter.answer(leased)) {
        // the poll ended meanwhile: their leases run out unheard, and each attempt is cut short
        // and offered again as a new task
        LOG.log(Level.INFO, "{0} task(s) leased to a poll that had ended", leased.size());
      }
    } catch (RuntimeException storeTrouble) {
      LOG.log(Level.WARNING, "looking for tasks failed; trying again shortly", storeTrouble);
    }
  }

  private final class Waiter {
    final Caller caller;
    final PollTasksCommand command;
    final CompletableFuture<List<WorkerTask>> answer = new CompletableFuture<>();

    Waiter(Caller caller, PollTasksCommand command) {
      this.caller = caller;
      this.command = command;
    }

    boolean answer(List<WorkerTask> leased) {
      waiters.remove(this);
      return answer.complete(leased);
    }
  }
}
