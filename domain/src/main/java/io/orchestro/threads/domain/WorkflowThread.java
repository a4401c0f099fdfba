package io.orchestro.threads.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One run of a workflow: an ordered list of steps, each run by an agent. Every change goes through
 * an intent method, is checked against {@link ThreadStatus#after(Transition)} and is recorded as a
 * {@link ThreadEvent} that the store saves together with the new state.
 */
public final class WorkflowThread {

  private final ThreadId id;
  private final String owner;
  private final String title;
  private final String workflowType;
  private final int workflowVersion;
  private final ThreadRequest request;
  private final Instant createdAt;
  private final long version;
  private final List<ThreadStep> steps;
  private final List<ThreadEvent> newEvents = new ArrayList<>();
  private final SortedSet<Integer> changedSteps = new TreeSet<>();
  private ThreadStatus status;
  private String errorMessage;
  private Instant startTime;
  private Instant lastUpdated;
  private Instant finishedAt;

  private WorkflowThread(ThreadSnapshot snapshot) {
    this.id = Objects.requireNonNull(snapshot.id(), "id");
    this.owner = Objects.requireNonNull(snapshot.owner(), "owner");
    this.title = Objects.requireNonNull(snapshot.title(), "title");
    this.workflowType = Objects.requireNonNull(snapshot.workflowType(), "workflowType");
    this.workflowVersion = snapshot.workflowVersion();
    this.request = Objects.requireNonNull(snapshot.request(), "request");
    this.status = Objects.requireNonNull(snapshot.status(), "status");
    this.steps = new ArrayList<>(snapshot.steps());
    this.errorMessage = snapshot.errorMessage();
    this.createdAt = Objects.requireNonNull(snapshot.createdAt(), "createdAt");
    this.startTime = snapshot.startTime();
    this.lastUpdated = Objects.requireNonNull(snapshot.lastUpdated(), "lastUpdated");
    this.finishedAt = snapshot.finishedAt();
    this.version = snapshot.version();
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("thread " + id + " has no steps");
    }
  }

  /** A new thread of the local owner: {@link #create(ThreadId, String, ThreadRequest, ...)}. */
  public static WorkflowThread create(
      ThreadId id, ThreadRequest request, WorkflowDefinition definition, Instant now) {
    return create(id, Caller.LOCAL_OWNER, request, definition, now);
  }

  /**
   * A new thread of {@code definition} belonging to {@code owner}, every step pending; records
   * {@code thread_created}, caused by that owner.
   */
  public static WorkflowThread create(
      ThreadId id,
      String owner,
      ThreadRequest request,
      WorkflowDefinition definition,
      Instant now) {
    List<ThreadStep> steps = definition.steps().stream().map(ThreadStep::pending).toList();
    WorkflowThread created =
        new WorkflowThread(
            new ThreadSnapshot(
                id,
                owner,
                request.titleFor(definition.type()),
                definition.type(),
                definition.version(),
                request,
                ThreadStatus.PENDING,
                steps,
                null,
                now,
                null,
                now,
                null,
                0));
    for (int i = 0; i < steps.size(); i++) {
      created.changedSteps.add(i);
    }
    created.record(ThreadEventType.THREAD_CREATED, null, owner, now);
    return created;
  }

  /** A thread as a store kept it. */
  public static WorkflowThread restore(ThreadSnapshot snapshot) {
    return new WorkflowThread(snapshot);
  }

  public ThreadSnapshot snapshot() {
    return new ThreadSnapshot(
        id,
        owner,
        title,
        workflowType,
        workflowVersion,
        request,
        status,
        steps,
        errorMessage,
        createdAt,
        startTime,
        lastUpdated,
        finishedAt,
        version);
  }

  // ---- lifecycle calls made by people (docs/api.md "Lifecycle rules") ----
  // Each takes the actor: the owner of the caller that asked, whom its events name. Without one,
  // the call is the thread's own owner's.

  /** {@link #pause(String, Instant)} by the thread's owner. */
  public boolean pause(Instant now) {
    return pause(owner, now);
  }

  /**
   * Stops the thread before its next step. Emits {@code thread_paused} at once when no step is in
   * flight, otherwise (caused by the engine) when that step's result is recorded.
   *
   * @return false when the thread was already paused
   */
  public boolean pause(String actor, Instant now) {
    if (!moveTo(Transition.PAUSE, now)) {
      return false;
    }
    ThreadStep inFlight = runningStep().orElse(null);
    if (inFlight != null && inFlight.isParked()) {
      // no worker waits with a parked attempt to settle the pause: it is cut short now
      setStep(indexOf(inFlight.name()), inFlight.interrupted());
    }
    if (runningStep().isEmpty()) {
      record(ThreadEventType.THREAD_PAUSED, null, actor, now);
    }
    return true;
  }

  /** {@link #resume(String, Instant)} by the thread's owner. */
  public boolean resume(Instant now) {
    return resume(owner, now);
  }

  /**
   * Lets a paused thread run again from its next step.
   *
   * @return false when the thread was not paused (pending or running: nothing to do)
   */
  public boolean resume(String actor, Instant now) {
    if (!moveTo(Transition.RESUME, now)) {
      return false;
    }
    record(ThreadEventType.THREAD_RESUMED, null, actor, now);
    return true;
  }

  /** {@link #retry(String, Instant)} by the thread's owner. */
  public void retry(Instant now) {
    retry(owner, now);
  }

  /** Runs a failed thread again from its failed step, with a fresh failure budget for that step. */
  public void retry(String actor, Instant now) {
    moveTo(Transition.RETRY, now);
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).status() == StepStatus.FAILED) {
        setStep(i, steps.get(i).retried());
      }
    }
    errorMessage = null;
    finishedAt = null;
    record(ThreadEventType.THREAD_RETRIED, null, actor, now);
  }

  /** The error message of a cancelled thread (docs/api.md "Cancel"). */
  public static final String CANCELLED = "cancelled";

  /**
   * Stops the thread for good but keeps it: it fails with {@link #CANCELLED} as its error. A step
   * in flight fails with the same error at once (the engine cancels its agent and records nothing
   * of that attempt), so a later retry runs that step again.
   */
  public void cancel(String actor, Instant now) {
    moveTo(Transition.CANCEL, now);
    runningStep()
        .ifPresent(
            inFlight -> {
              setStep(indexOf(inFlight.name()), inFlight.failed(CANCELLED, true, now, null));
              record(ThreadEventType.STEP_FAILED, inFlight.name(), actor, now);
            });
    errorMessage = CANCELLED;
    finishedAt = now;
    record(ThreadEventType.THREAD_FAILED, null, actor, now);
  }

  /** {@link #cancel(String, Instant)} by the thread's owner. */
  public void cancel(Instant now) {
    cancel(owner, now);
  }

  /** {@link #delete(String, Instant)} by the thread's owner. */
  public void delete(Instant now) {
    delete(owner, now);
  }

  /**
   * Records {@code thread_deleted}; the store removes the thread with this event. The actor is
   * {@link Caller#ENGINE_ACTOR} when the service deletes it on its own (retention).
   */
  public void delete(String actor, Instant now) {
    lastUpdated = now;
    record(ThreadEventType.THREAD_DELETED, null, actor, now);
  }

  // ---- moves made by the engine ----

  /** The engine takes the thread up (again, after a resume or retry). */
  public void start(Instant now) {
    moveTo(Transition.START, now);
  }

  /** The next step to run, if the thread may run one now. */
  public Optional<ThreadStep> nextStepToRun() {
    if (status != ThreadStatus.RUNNING || runningStep().isPresent()) {
      return Optional.empty();
    }
    return firstPendingStep();
  }

  /** The first step not yet started, whatever the thread's status: the one a start would run. */
  public Optional<ThreadStep> firstPendingStep() {
    return steps.stream().filter(step -> step.status() == StepStatus.PENDING).findFirst();
  }

  /** An attempt at {@code stepName} begins. */
  public ThreadStep startStep(String stepName, Instant now) {
    requireStatus(ThreadStatus.RUNNING, "start step " + stepName);
    int index = indexOf(stepName);
    ThreadStep step = steps.get(index);
    if (step.status() != StepStatus.PENDING || runningStep().isPresent()) {
      throw new IllegalStateException(
          "thread " + id + " cannot start step " + stepName + " now: it is " + step.status());
    }
    ThreadStep started = step.started(now);
    setStep(index, started);
    lastUpdated = now;
    // the thread "runs" from its first step on: that is its start_time and thread_started
    if (startTime == null) {
      startTime = now;
      record(ThreadEventType.THREAD_STARTED, null, now);
    }
    record(ThreadEventType.STEP_STARTED, stepName, now);
    return started;
  }

  /**
   * The attempt in flight succeeded. The thread completes after its last step; a thread paused
   * while the step ran settles as paused here.
   */
  public void completeStep(String stepName, Map<String, Object> output, Instant now) {
    int index = indexOfRunning(stepName);
    setStep(index, steps.get(index).completed(output == null ? Map.of() : output, now));
    lastUpdated = now;
    record(ThreadEventType.STEP_COMPLETED, stepName, now);
    if (steps.stream().allMatch(step -> step.status() == StepStatus.COMPLETED)
        && !status.isFinished()) {
      runAgainIfResumedInFlight(now);
      moveTo(Transition.COMPLETE, now);
      finishedAt = now;
      record(ThreadEventType.THREAD_COMPLETED, null, now);
    } else {
      settlePause(now);
    }
  }

  /**
   * The attempt in flight failed. With attempts left in {@code retry} the step waits for its next
   * attempt; otherwise the thread fails with the step's error.
   *
   * @return true when the thread failed
   */
  public boolean failStep(String stepName, String error, RetryPolicy retry, Instant now) {
    return failStep(stepName, error, retry, now, null);
  }

  /**
   * As {@link #failStep(String, String, RetryPolicy, Instant)}, and the next attempt, if any,
   * starts no earlier than {@code notBefore} (what the callee asked for, as an HTTP {@code
   * Retry-After}).
   */
  public boolean failStep(
      String stepName, String error, RetryPolicy retry, Instant now, Instant notBefore) {
    int index = indexOfRunning(stepName);
    ThreadStep step = steps.get(index);
    boolean finalFailure = !retry.allowsAnotherAttempt(step.failures() + 1);
    String message = error == null || error.isBlank() ? "step " + stepName + " failed" : error;
    setStep(index, step.failed(message, finalFailure, now, notBefore));
    lastUpdated = now;
    record(ThreadEventType.STEP_FAILED, stepName, now);
    if (finalFailure && !status.isFinished()) {
      runAgainIfResumedInFlight(now);
      moveTo(Transition.FAIL, now);
      errorMessage = message;
      finishedAt = now;
      record(ThreadEventType.THREAD_FAILED, null, now);
      return true;
    }
    settlePause(now);
    return false;
  }

  /**
   * The attempt in flight waits until {@code until} without a worker: the engine lets go of the
   * thread and resumes the same attempt then (or sooner, when woken). A thread paused while the
   * attempt ran settles as paused instead, the step back to pending: nobody would resume it.
   */
  public void parkStep(String stepName, Instant until, Instant now) {
    int index = indexOfRunning(stepName);
    ThreadStep step = steps.get(index);
    if (status == ThreadStatus.PAUSED) {
      setStep(index, step.interrupted());
      settlePause(now);
    } else {
      runAgainIfResumedInFlight(now);
      setStep(index, step.parked(until));
    }
    lastUpdated = now;
  }

  /**
   * The attempt in flight was given up because the thread was paused (its agent stops on pause):
   * the step goes back to pending, its attempt counted but not a failure, and the pause settles.
   * Resume runs the step's next attempt.
   */
  public void cutShortByPause(String stepName, Instant now) {
    requireStatus(ThreadStatus.PAUSED, "settle a pause");
    int index = indexOfRunning(stepName);
    setStep(index, steps.get(index).interrupted());
    lastUpdated = now;
    settlePause(now);
  }

  /**
   * The thread is taken over after a crash or a lost claim: a step cut short goes back to pending
   * (its attempt stays counted but is not a failure). Records {@code thread_recovered} naming the
   * step that will run next.
   */
  public void recover(Instant now) {
    ThreadStep cutShort =
        runningStep()
            .orElseThrow(
                () -> new IllegalStateException("thread " + id + " has no step to recover"));
    setStep(indexOf(cutShort.name()), cutShort.interrupted());
    lastUpdated = now;
    record(ThreadEventType.THREAD_RECOVERED, cutShort.name(), now);
    settlePause(now);
  }

  // ---- reading ----

  public ThreadId id() {
    return id;
  }

  /** Who the thread belongs to: the owner of the caller that created it. */
  public String owner() {
    return owner;
  }

  public String title() {
    return title;
  }

  public String workflowType() {
    return workflowType;
  }

  public int workflowVersion() {
    return workflowVersion;
  }

  public ThreadRequest request() {
    return request;
  }

  /** Higher runs first; 0 unless the request gave one. */
  public int priority() {
    return request.effectivePriority();
  }

  /** When the thread may start at the earliest, or null for at once. */
  public Instant startAt() {
    return request.startAt();
  }

  /** True when the thread has not started and its start time is still ahead of {@code now}. */
  public boolean waitsForStartAt(Instant now) {
    return startTime == null && request.startAt() != null && now.isBefore(request.startAt());
  }

  public Map<String, Object> input() {
    return request.threadInput();
  }

  public ThreadStatus status() {
    return status;
  }

  public List<ThreadStep> steps() {
    return Collections.unmodifiableList(steps);
  }

  public String errorMessage() {
    return errorMessage;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public Instant startTime() {
    return startTime;
  }

  public Instant lastUpdated() {
    return lastUpdated;
  }

  public Instant finishedAt() {
    return finishedAt;
  }

  public long version() {
    return version;
  }

  /**
   * True when the thread needs no worker: it is paused, completed or failed, and no step of it is
   * in flight. Only a person's resume or retry can make it run again.
   */
  public boolean isSettled() {
    return !status.isActive() && runningStep().isEmpty();
  }

  public Optional<ThreadStep> runningStep() {
    return steps.stream().filter(step -> step.status() == StepStatus.RUNNING).findFirst();
  }

  public Optional<ThreadStep> step(String name) {
    return steps.stream().filter(step -> step.name().equals(name)).findFirst();
  }

  /** Progress derived from the steps. */
  public Progress progress() {
    int completed =
        (int) steps.stream().filter(step -> step.status() == StepStatus.COMPLETED).count();
    String current =
        runningStep()
            .or(() -> steps.stream().filter(s -> s.status() != StepStatus.COMPLETED).findFirst())
            .map(ThreadStep::name)
            .orElse(null);
    return Progress.of(completed, steps.size(), current);
  }

  /**
   * The places (0 for the first step) of the steps changed since this object was created or
   * restored, in order: a store writes only these. Every step of a new thread counts as changed.
   */
  public SortedSet<Integer> changedSteps() {
    return Collections.unmodifiableSortedSet(changedSteps);
  }

  /** Changes recorded since this object was created or restored, oldest first. */
  public List<ThreadEvent> newEvents() {
    return List.copyOf(newEvents);
  }

  // ---- internals ----

  /**
   * The one place the status changes.
   *
   * @return false when the table says the call changes nothing
   * @throws IllegalTransitionException when the table forbids the call
   */
  private boolean moveTo(Transition transition, Instant now) {
    ThreadStatus next =
        status
            .after(transition)
            .orElseThrow(() -> new IllegalTransitionException(id, status, transition));
    if (next == status) {
      return false;
    }
    status = next;
    lastUpdated = now;
    return true;
  }

  /**
   * A thread paused and resumed while its step was in flight is pending when that step's result
   * arrives; the engine that ran the step still holds it, so it is running again.
   */
  private void runAgainIfResumedInFlight(Instant now) {
    if (status == ThreadStatus.PENDING) {
      moveTo(Transition.START, now);
    }
  }

  /** A pause requested while a step was in flight has settled once no step is in flight. */
  private void settlePause(Instant now) {
    if (status == ThreadStatus.PAUSED && runningStep().isEmpty()) {
      record(ThreadEventType.THREAD_PAUSED, null, now);
    }
  }

  private void requireStatus(ThreadStatus expected, String action) {
    if (status != expected) {
      throw new IllegalStateException(
          "thread " + id + " cannot " + action + ": it is " + status.wireName());
    }
  }

  private int indexOfRunning(String stepName) {
    int index = indexOf(stepName);
    if (steps.get(index).status() != StepStatus.RUNNING) {
      throw new IllegalStateException("step " + stepName + " of thread " + id + " is not running");
    }
    return index;
  }

  private int indexOf(String stepName) {
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).name().equals(stepName)) {
        return i;
      }
    }
    throw new IllegalArgumentException("thread " + id + " has no step " + stepName);
  }

  private void setStep(int index, ThreadStep step) {
    steps.set(index, step);
    changedSteps.add(index);
  }

  /** Records a change the engine made on its own. */
  private void record(ThreadEventType type, String stepName, Instant now) {
    record(type, stepName, Caller.ENGINE_ACTOR, now);
  }

  private void record(ThreadEventType type, String stepName, String actor, Instant now) {
    newEvents.add(new ThreadEvent(type, id, now, status, stepName, progress(), owner, actor));
  }
}
