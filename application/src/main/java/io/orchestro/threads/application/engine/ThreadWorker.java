package io.orchestro.threads.application.engine;

import io.orchestro.threads.application.port.out.ClaimLostException;
import io.orchestro.threads.application.port.out.ConcurrentThreadUpdateException;
import io.orchestro.threads.application.port.out.EngineObserver;
import io.orchestro.threads.domain.RetryPolicy;
import io.orchestro.threads.domain.StepDefinition;
import io.orchestro.threads.domain.StepStatus;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.ThreadStep;
import io.orchestro.threads.domain.WorkflowThread;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Works on one claimed thread until it needs no worker, or the worker is stopped: runs its steps in
 * order and stores every step start and result before moving on. Between steps it works on the
 * thread as stored, so a pause or delete made meanwhile stops it there.
 */
final class ThreadWorker implements Runnable {

  // one logger name for all of the engine's lines, whichever of its parts writes them
  private static final Logger LOG = System.getLogger(ThreadEngine.class.getName());

  /** The longest nap of a worker waiting for the time it was claimed ahead for. */
  private static final Duration AHEAD_NAP = Duration.ofMillis(20);

  private final ThreadId id;
  private final Instant claimedAt;
  private final Dispatcher dispatcher;
  private final ThreadWriter writer;
  private final StepAttempts attempts;
  private final StepDefinitions definitions;
  private final LimitPlaces places;
  private final Clock clock;
  private final EngineSettings settings;
  private final EngineObserver observer;
  private final WorkerStop stop = new WorkerStop();
  private volatile WorkflowThread thread;

  /**
   * When this node's claim of the thread was last made or renewed ({@link System#nanoTime}), as the
   * dispatcher's timer reads it to leave fresh claims out of its renewals and checks; 0 until the
   * dispatcher sets it. The timer runs by this machine's time, whatever the engine's clock says.
   */
  private volatile long claimSetAtNanos;

  /**
   * Set when the thread's first step was started in the insert that created it claimed ({@link
   * Dispatcher.Workers#startFirstStep}): the worker runs that attempt first, rather than taking it
   * for one cut short by a crash.
   */
  private volatile boolean firstStepStartedAtCreate;

  /** Set once this worker has parked the thread's attempt: it lets go and ends then. */
  private boolean parked;

  /**
   * Set when this worker's last write settled the thread: the store ended the claim in that same
   * write ({@link io.orchestro.threads.application.port.out.ThreadClaims#updateIfHeld}), so a
   * release after it would be a write for nothing (one per thread, a tenth of a commit per step for
   * threads of ten steps).
   */
  private boolean claimEndedByWrite;

  ThreadWorker(
      WorkflowThread thread,
      Instant claimedAt,
      Dispatcher dispatcher,
      ThreadWriter writer,
      StepAttempts attempts,
      StepDefinitions definitions,
      LimitPlaces places,
      Clock clock,
      EngineSettings settings,
      EngineObserver observer) {
    this.id = thread.id();
    this.thread = thread;
    this.claimedAt = claimedAt;
    this.dispatcher = dispatcher;
    this.writer = writer;
    this.attempts = attempts;
    this.definitions = definitions;
    this.places = places;
    this.clock = clock;
    this.settings = settings;
    this.observer = observer;
  }

  void stop(StopReason reason) {
    stop.stop(reason);
  }

  /** The thread was paused: an attempt whose agent stops on pause is given up. */
  void pause() {
    stop.pause();
  }

  /** True once the thread needs no worker: this worker let go of the claim itself. */
  boolean threadIsSettled() {
    return thread.isSettled();
  }

  /** Whether this node's claim of the thread was made or renewed within the last {@code age}. */
  boolean claimSetWithin(Duration age) {
    long setAt = claimSetAtNanos;
    return setAt != 0 && System.nanoTime() - setAt < age.toNanos();
  }

  /** This node's claim of the thread was made or renewed with a lease from {@code nanoTime} on. */
  void claimSetAt(long nanoTime) {
    claimSetAtNanos = nanoTime;
  }

  /** The thread was stored with its first step started: that attempt runs before anything else. */
  void firstStepStartedAtCreate() {
    firstStepStartedAtCreate = true;
  }

  /** The holder name of the places under limits this worker holds, or null. */
  String placeHolder() {
    return places.holder();
  }

  @Override
  public void run() {
    try (EngineObserver.Scope about = observer.workingOn(id)) {
      runAsOwner();
    }
  }

  private void runAsOwner() {
    try {
      awaitClaimedTime();
      if (firstStepStartedAtCreate) {
        // started in the insert that claimed it: no wait between becoming runnable and the claim
        observer.claimed(thread.workflowType(), Duration.ZERO);
        runSteps(thread.runningStep().orElseThrow().name());
      } else {
        reportClaimLag();
      }
      work();
    } catch (ClaimLostException lost) {
      LOG.log(Level.INFO, "thread {0}: {1}", id, lost.getMessage());
    } catch (RuntimeException unexpected) {
      // back off for a lease before anyone tries again, rather than failing in a tight loop
      LOG.log(Level.ERROR, "thread " + id + ": the engine could not run it", unexpected);
      writer.release(id, now().plus(settings.lease()));
    } finally {
      places.giveBack();
      // a cancelled thread is kept, failed: nothing will run it, so nobody needs its claim
      if (stop.reason() == StopReason.SHUTDOWN || stop.reason() == StopReason.CANCELLED) {
        writer.release(id, null);
      }
      dispatcher.ended(id);
    }
  }

  /**
   * Claimed ahead of its time, the worker waits for it here, in short naps so that a stop is seen
   * soon; the thread then goes on as if claimed at that time.
   */
  private void awaitClaimedTime() {
    while (!stop.isStopped() && !dispatcher.isDraining()) {
      long nanosLeft = Duration.between(now(), claimedAt).toNanos();
      if (nanosLeft <= 0) {
        return;
      }
      LockSupport.parkNanos(Math.min(nanosLeft, AHEAD_NAP.toNanos()));
    }
  }

  private void reportClaimLag() {
    Instant since = runnableSince();
    if (since != null) {
      Duration waited = Duration.between(since, claimedAt);
      observer.claimed(thread.workflowType(), waited.isNegative() ? Duration.ZERO : waited);
    }
  }

  /**
   * When the thread, which may run a step now, became able to: when it became pending (created,
   * resumed or retried), or when its retry backoff ended. Null for a thread taken over from a dead
   * or stopped owner, whose wait is not a queue's.
   */
  private Instant runnableSince() {
    return switch (thread.status()) {
      case PENDING -> thread.lastUpdated();
      case RUNNING ->
          thread.runningStep().isPresent()
              ? null
              : thread
                  .nextStepToRun()
                  .map(step -> definitions.nextAttemptNotBefore(thread, step))
                  .orElse(null);
      case PAUSED, COMPLETED, FAILED -> null;
    };
  }

  private void work() {
    while (!stop.isStopped()) {
      ThreadStep inFlight = thread.runningStep().orElse(null);
      if (inFlight != null && inFlight.isParked() && parked) {
        // the attempt waits without a worker; the claim becomes free when it is due
        letGoUntil(inFlight.dueAt());
        return;
      }
      if (dispatcher.isDraining()) {
        // the engine closes: the step in flight is recorded, the next owner runs the others
        writer.release(id, null);
        return;
      }
      if (inFlight != null && inFlight.isParked()) {
        // due, or woken early by what it waits for: the same attempt goes on
        if (!takePlace(inFlight)) {
          letGoUntil(places.heldBackUntil());
          return;
        }
        runSteps(inFlight.name());
        continue;
      }
      if (inFlight != null) {
        // taken over after a crash or a lost claim: that attempt was cut short; its recovery and
        // the step's new start, one write
        changeAndRun(thread::recover);
        continue;
      }
      switch (thread.status()) {
        // the thread's start and its first step's, one write
        case PENDING -> {
          Instant startAt = thread.startAt();
          if (thread.waitsForStartAt(now())) {
            // stores keep a start time as the end of a claim nobody holds, so this is rare: a
            // claim ended early, such as a take-over at start-up; wait again, and hold no worker
            letGoUntil(startAt);
            return;
          }
          // held back by a limit, the thread stays pending
          ThreadStep first = thread.firstPendingStep().orElse(null);
          if (first != null && !takePlace(first)) {
            letGoUntil(places.heldBackUntil());
            return;
          }
          changeAndRun(thread::start);
        }
        case RUNNING -> {
          ThreadStep step = thread.nextStepToRun().orElseThrow();
          Instant notBefore = definitions.nextAttemptNotBefore(thread, step);
          if (notBefore != null && now().isBefore(notBefore)) {
            letGoUntil(notBefore);
            return;
          }
          if (!takePlace(step)) {
            letGoUntil(places.heldBackUntil());
            return;
          }
          if (save(() -> thread.startStep(step.name(), now()))) {
            runSteps(step.name());
          }
        }
        case PAUSED, COMPLETED, FAILED -> {
          if (!claimEndedByWrite) {
            writer.release(id, null);
          }
          return;
        }
      }
    }
  }

  /**
   * Applies {@code change} at this instant together with the start of the step that may run next,
   * saves both in one write, and runs the steps from there.
   */
  private void changeAndRun(Consumer<Instant> change) {
    Instant now = now();
    change.accept(now);
    String next = startNextStepIfDue(now);
    if (trySave() && next != null) {
      runSteps(next);
    }
  }

  /** Runs {@code first}, which is started, and each step started with its predecessor's result. */
  private void runSteps(String first) {
    String started = first;
    while (started != null) {
      started = runStep(started);
    }
  }

  /**
   * Runs the started step {@code stepName} and saves its result, with the start of the step that
   * may run next when there is one: a step costs one store write, not two.
   *
   * @return the step started with the result, or null
   */
  private String runStep(String stepName) {
    ThreadStep step = thread.step(stepName).orElseThrow();
    AttemptResult result = attempts.run(thread, step, stepDefinition(stepName), stop);
    places.giveBack();
    if (result.stopped() != null) {
      return null;
    }
    StepDefinition definition = stepDefinition(stepName);
    int attemptNumber = step.attempts();
    // a person may have paused the thread meanwhile: apply the result to the thread as stored
    while (true) {
      ThreadStep current = thread.step(stepName).orElseThrow();
      if (current.status() != StepStatus.RUNNING || current.attempts() != attemptNumber) {
        return null;
      }
      Instant now = now();
      boolean threadFailed = false;
      if (result.parkedUntil() != null) {
        thread.parkStep(stepName, result.parkedUntil(), now);
        if (trySave()) {
          parked = true;
          return null;
        }
        continue;
      }
      if (result.cutShort() != null) {
        if (result.isCutShortByPause() && thread.status() == ThreadStatus.PAUSED) {
          // counted, not a failure; the pause settles and resume runs the next attempt
          thread.cutShortByPause(stepName, now);
        } else {
          // counted, not a failure: a new attempt starts at once, as after a crash
          thread.recover(now);
        }
        String again = startNextStepIfDue(now);
        if (trySave()) {
          LOG.log(
              Level.INFO,
              "thread {0} step {1}: attempt {2} cut short: {3}",
              id,
              stepName,
              attemptNumber,
              result.cutShort());
          return again;
        }
        continue;
      }
      if (result.error() == null) {
        thread.completeStep(stepName, result.output(), now);
      } else {
        // an agent that says no retry can pass fails the thread whatever the policy allows
        RetryPolicy retry = result.retryable() ? definition.retry() : RetryPolicy.NONE;
        Instant notBefore = result.retryAfter() == null ? null : now.plus(result.retryAfter());
        threadFailed = thread.failStep(stepName, result.error(), retry, now, notBefore);
      }
      String next = startNextStepIfDue(now);
      if (trySave()) {
        if (threadFailed) {
          LOG.log(
              Level.WARNING,
              "thread {0} failed: step {1}, attempt {2}: {3}",
              id,
              stepName,
              attemptNumber,
              result.error());
        } else if (result.error() != null) {
          LOG.log(
              Level.INFO,
              "thread {0} step {1}: attempt {2} failed, to be retried: {3}",
              id,
              stepName,
              attemptNumber,
              result.error());
        }
        return next;
      }
    }
  }

  /**
   * Starts the thread's next step as part of the change being made, when the thread may run one
   * now: still running (not paused, finished or stopped), and no retry backoff to wait out.
   *
   * @return the step started, or null
   */
  private String startNextStepIfDue(Instant now) {
    if (stop.isStopped() || dispatcher.isDraining()) {
      return null;
    }
    ThreadStep next = thread.nextStepToRun().orElse(null);
    if (next == null) {
      return null;
    }
    Instant notBefore = definitions.nextAttemptNotBefore(thread, next);
    if (notBefore != null && now.isBefore(notBefore)) {
      return null;
    }
    if (!takePlace(next)) {
      return null;
    }
    thread.startStep(next.name(), now);
    return next.name();
  }

  private StepDefinition stepDefinition(String stepName) {
    return definitions.of(thread, stepName);
  }

  /**
   * Takes the places the attempt at {@code step} needs under the limits of its agent and its
   * workflow type, unless this worker holds them already.
   *
   * @return false when a limit holds the attempt back, until {@link LimitPlaces#heldBackUntil}
   */
  private boolean takePlace(ThreadStep step) {
    return places.take(step.name(), stepDefinition(step.name()).agent(), thread.workflowType());
  }

  /**
   * Applies {@code change} to the thread and saves it; when someone saved the thread in between,
   * reloads it instead so that the caller decides again on what is stored.
   *
   * @return true when the change was saved
   */
  private boolean save(Runnable change) {
    change.run();
    return trySave();
  }

  private boolean trySave() {
    try {
      thread = writer.save(thread);
      claimEndedByWrite = thread.isSettled();
      return true;
    } catch (ConcurrentThreadUpdateException raced) {
      thread = writer.reload(id);
      claimEndedByWrite = false;
      return false;
    }
  }

  /** Lets go of the thread until {@code notBefore}, and wakes this node's claiming then. */
  private void letGoUntil(Instant notBefore) {
    writer.release(id, notBefore);
    dispatcher.wakeAt(notBefore);
  }

  private Instant now() {
    return clock.instant();
  }
}
