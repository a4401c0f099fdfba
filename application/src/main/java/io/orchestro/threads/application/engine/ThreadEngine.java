package io.orchestro.threads.application.engine;

import io.orchestro.threads.application.agent.Agents;
import io.orchestro.threads.application.port.out.Cancellation;
import io.orchestro.threads.application.port.out.ClaimLostException;
import io.orchestro.threads.application.port.out.ConcurrentThreadUpdateException;
import io.orchestro.threads.application.port.out.EngineObserver;
import io.orchestro.threads.application.port.out.EngineSignal;
import io.orchestro.threads.application.port.out.Limit;
import io.orchestro.threads.application.port.out.LimitLeases;
import io.orchestro.threads.application.port.out.ThreadClaims;
import io.orchestro.threads.application.port.out.WorkflowCatalog;
import io.orchestro.threads.domain.RetryPolicy;
import io.orchestro.threads.domain.StepDefinition;
import io.orchestro.threads.domain.StepStatus;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.ThreadStep;
import io.orchestro.threads.domain.WorkflowDefinition;
import io.orchestro.threads.domain.WorkflowThread;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs threads: claims runnable ones, runs each one's steps in order on the {@link Executor} it is
 * given, and stores every step start and result before moving on. Between steps it works on the
 * thread as stored, so a pause or delete made meanwhile stops it there.
 *
 * <p>One dispatcher thread claims work when signalled (a thread was created, resumed or retried, or
 * a worker finished) and, as a safety net, every poll interval. Each claimed thread gets one
 * worker; each attempt at a step runs as a task of its own so that the worker can give up on it
 * (timeout, delete) even when the agent does not stop.
 *
 * <p>Several engines (nodes) may share one store and know nothing of each other. A timer renews
 * this node's claims every third of the lease and, in between, checks every {@link
 * #CLAIM_CHECK_INTERVAL} which of its threads it still holds: a thread deleted through another
 * node, or taken over after this node stalled past its lease, stops its worker and cancels its
 * agent. Every step write is fenced by the claim, so a stalled node that has not noticed yet cannot
 * record anything over the new owner's work.
 */
public final class ThreadEngine implements EngineSignal, AutoCloseable {

  private static final Logger LOG = System.getLogger(ThreadEngine.class.getName());
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

  /**
   * How often the engine asks the store which of its threads it still holds, between renewals: a
   * delete or take-over made through another node stops the worker (and cancels its agent) within
   * about this long. A read of the running threads' rows, far cheaper than a renewal's writes.
   */
  public static final Duration CLAIM_CHECK_INTERVAL = Duration.ofSeconds(1);

  /**
   * How soon a thread held back by a full concurrency limit tries again: a place freed on this node
   * wakes one of its waiting threads at once, but one freed on another node is only seen so.
   */
  public static final Duration LIMIT_RECHECK = Duration.ofSeconds(1);

  /** The longest nap of a worker waiting for the time it was claimed ahead for. */
  private static final Duration AHEAD_NAP = Duration.ofMillis(20);

  private final ThreadClaims claims;
  private final WorkflowCatalog catalog;
  private final Clock clock;
  private final Executor executor;
  private final EngineSettings settings;
  private final EngineObserver observer;
  private final ThreadLimits limits;
  private final HeldBackThreads heldBack = new HeldBackThreads();
  private final StepAttempts attempts;
  private final Map<ThreadId, Worker> workers = new ConcurrentHashMap<>();
  private final Map<String, WorkflowDefinition> definitions = new ConcurrentHashMap<>();
  private final BlockingQueue<Boolean> wakeUp = new ArrayBlockingQueue<>(1);

  /** Only the dispatcher uses it: the start time its last claim ahead was for. */
  private Instant claimedAheadFor;

  private final ScheduledThreadPoolExecutor timer =
      new ScheduledThreadPoolExecutor(
          1,
          task -> {
            Thread thread = new Thread(task, "orchestro-engine-timer");
            thread.setDaemon(true);
            return thread;
          });
  private volatile boolean running;

  /** Set by {@link #close}: workers finish the step in flight, start no other and let go. */
  private volatile boolean draining;

  private Thread dispatcher;

  /** An engine with no limits, whose steps' progress nobody watches. */
  public ThreadEngine(
      ThreadClaims claims,
      WorkflowCatalog catalog,
      Agents agents,
      Clock clock,
      Executor executor,
      EngineSettings settings,
      EngineObserver observer) {
    this(
        claims,
        catalog,
        agents,
        clock,
        executor,
        settings,
        observer,
        ThreadLimits.NONE,
        StepProgressPublisher.discarding());
  }

  /**
   * @param limits the limits per agent and per workflow type that this node keeps with the others
   *     sharing its store
   * @param progress where the agents' progress reports go, as {@code step_progress} events
   */
  public ThreadEngine(
      ThreadClaims claims,
      WorkflowCatalog catalog,
      Agents agents,
      Clock clock,
      Executor executor,
      EngineSettings settings,
      EngineObserver observer,
      ThreadLimits limits,
      StepProgressPublisher progress) {
    this.claims = claims;
    this.catalog = catalog;
    this.clock = clock;
    this.executor = executor;
    this.settings = settings;
    this.observer = observer;
    this.limits = limits;
    this.attempts = new StepAttempts(agents, executor, clock, settings, observer, limits, progress);
  }

  public synchronized void start() {
    if (running) {
      return;
    }
    if (settings.takeOverAtStart()) {
      int taken = claims.expireOtherOwners(settings.nodeId());
      if (taken > 0) {
        LOG.log(Level.INFO, "taking over {0} thread(s) left running by a previous run", taken);
      }
      // the previous run's places under limits would otherwise wait out their lease
      limits.leases().expireOtherOwners(settings.nodeId());
    }
    running = true;
    long renewMillis = settings.lease().toMillis() / 3;
    timer.scheduleWithFixedDelay(
        this::renewClaims, renewMillis, renewMillis, TimeUnit.MILLISECONDS);
    if (!limits.isEmpty()) {
      timer.scheduleWithFixedDelay(
          this::renewLimitLeases, renewMillis, renewMillis, TimeUnit.MILLISECONDS);
    }
    long checkMillis = CLAIM_CHECK_INTERVAL.toMillis();
    if (checkMillis < renewMillis) {
      timer.scheduleWithFixedDelay(
          this::checkClaims, checkMillis, checkMillis, TimeUnit.MILLISECONDS);
    }
    dispatcher = new Thread(this::dispatch, "orchestro-engine-dispatcher");
    dispatcher.setDaemon(true);
    dispatcher.start();
  }

  /**
   * Stops claiming, lets the attempts in flight finish for up to the settings' shutdown grace and
   * records their results, gives up those still running then without recording them, and lets go of
   * every claim, so that the next start (or another node) takes the threads over at once. A rolling
   * restart thus runs again no step that could finish within the grace.
   *
   * <p>No thread of the engine's is interrupted: one may be writing to the store, and an embedded
   * database's file interrupted mid-write can be left corrupted (H2: "File corrupted in chunk").
   * The dispatcher and the timer are asked to stop and given a bounded time to finish what they
   * write; attempts are cancelled through their {@link Cancellation}. The timer keeps renewing the
   * claims during the grace, which may outlast a lease.
   */
  @Override
  public synchronized void close() {
    if (!running) {
      return;
    }
    running = false;
    draining = true;
    wake();
    try {
      // the workers of a claim it is finishing drain with the others below
      dispatcher.join(SHUTDOWN_GRACE.toMillis());
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
    if (!awaitNoWorkers(settings.shutdownGrace()) && !settings.shutdownGrace().isZero()) {
      LOG.log(
          Level.INFO,
          "{0} thread(s) still running after the shutdown grace of {1}: their attempts are given"
              + " up and run again by the next owner",
          workers.size(),
          settings.shutdownGrace());
    }
    workers.values().forEach(worker -> worker.stop(StopReason.SHUTDOWN));
    awaitNoWorkers(SHUTDOWN_GRACE);
    // backoffs' wake-ups that are not due yet are dropped; a renewal under way finishes
    timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    timer.shutdown();
    try {
      timer.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * @return true when every worker has ended within {@code wait}
   */
  private boolean awaitNoWorkers(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    synchronized (workers) {
      long left;
      while (!workers.isEmpty() && (left = deadline - System.nanoTime()) > 0) {
        try {
          TimeUnit.NANOSECONDS.timedWait(workers, left);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      return workers.isEmpty();
    }
  }

  @Override
  public void runnable(ThreadId id) {
    wake();
  }

  @Override
  public void deleted(ThreadId id) {
    heldBack.forget(id);
    Worker worker = workers.get(id);
    if (worker != null) {
      worker.stop(StopReason.DELETED);
    }
  }

  @Override
  public void paused(ThreadId id) {
    Worker worker = workers.get(id);
    if (worker != null) {
      worker.pause();
    }
  }

  @Override
  public void cancelled(ThreadId id) {
    heldBack.forget(id);
    Worker worker = workers.get(id);
    if (worker != null) {
      worker.stop(StopReason.CANCELLED);
    }
  }

  /** The owner name of this node's claims. */
  public String nodeId() {
    return settings.nodeId();
  }

  /**
   * False once the engine's dispatcher has died while the engine runs: a claim threw an {@link
   * Error}, which it does not survive, and no thread would be claimed again. Before the start and
   * after the close, true.
   */
  public boolean isAlive() {
    Thread current = dispatcher;
    return !running || current == null || current.isAlive();
  }

  /** How many threads this node works on now. */
  public int runningThreads() {
    return workers.size();
  }

  private void wake() {
    wakeUp.offer(Boolean.TRUE);
  }

  private void dispatch() {
    // the time the next claim is made for: null for now, or a start time a claim ahead takes
    Instant claimFor = null;
    while (running) {
      boolean mayBeMore = false;
      try {
        mayBeMore = claimAndRun(claimFor);
      } catch (RuntimeException storeTrouble) {
        LOG.log(Level.WARNING, "claiming threads failed; trying again shortly", storeTrouble);
      }
      claimFor = null;
      if (!mayBeMore) {
        NextRound next = nextRound();
        try {
          if (wakeUp.poll(next.sleep().toMillis(), TimeUnit.MILLISECONDS) == null) {
            claimFor = next.claimFor();
          }
        } catch (InterruptedException interrupted) {
          // nobody of ours interrupts it; whoever did wants it to stop
          return;
        }
      }
    }
  }

  /**
   * How long the dispatcher may sleep, and for which time it claims when nothing wakes it before.
   *
   * @param claimFor the start time to claim for ahead of it, or null to claim for the time then
   */
  private record NextRound(Duration sleep, Instant claimFor) {}

  /**
   * Until the next thread waiting for its start time or a retry backoff becomes claimable, at most
   * a poll interval (work from other nodes, and the safety net). New work on this node wakes the
   * dispatcher at once. With a claim ahead, it wakes that much before the time and claims for it:
   * the claim's round trips are over when the time comes, and the workers start the threads then.
   */
  private NextRound nextRound() {
    Duration poll = settings.pollInterval();
    Instant now = clock.instant();
    Optional<Instant> nextDue;
    try {
      nextDue = claims.nextClaimableAt(now);
    } catch (RuntimeException storeTrouble) {
      LOG.log(Level.WARNING, "looking for the next start time failed", storeTrouble);
      return new NextRound(poll, null);
    }
    if (nextDue.isEmpty() || Duration.between(now, nextDue.get()).compareTo(poll) >= 0) {
      return new NextRound(poll, null);
    }
    Instant due = nextDue.get();
    // a millisecond more: the wait is cut to whole milliseconds, and the time must have come
    Duration untilDue = Duration.between(now, due).plusMillis(1);
    if (settings.claimAhead().isZero() || due.equals(claimedAheadFor)) {
      // claimed ahead already and still waiting: another node holds its row, or took it; claim
      // for the time itself, as without a claim ahead, rather than again and again before it
      return new NextRound(untilDue, null);
    }
    Duration untilClaim = Duration.between(now, due).minus(settings.claimAhead());
    return new NextRound(untilClaim.isNegative() ? Duration.ZERO : untilClaim, due);
  }

  /**
   * @param claimFor the start time to claim for ahead of it, or null for now
   * @return true when the claim was cut short by the batch size, so more work may be waiting
   */
  private boolean claimAndRun(Instant claimFor) {
    int free = settings.maxRunningThreads() - workers.size();
    if (free <= 0) {
      return false;
    }
    int limit = Math.min(free, settings.claimBatch());
    Instant now = clock.instant();
    Instant claimableBy = claimFor != null && claimFor.isAfter(now) ? claimFor : now;
    claimedAheadFor = claimFor;
    List<WorkflowThread> claimed =
        claims.claim(settings.nodeId(), claimableBy, now.plus(settings.lease()), limit);
    for (WorkflowThread thread : claimed) {
      // claimed ahead, a worker waits until the time it was claimed for
      Worker worker = new Worker(thread, claimableBy);
      if (workers.putIfAbsent(thread.id(), worker) == null) {
        executor.execute(worker);
      }
    }
    return claimed.size() == limit && workers.size() < settings.maxRunningThreads();
  }

  private void renewClaims() {
    stopWorkersWhoseClaimIsGone(
        mine -> claims.renew(settings.nodeId(), mine, clock.instant().plus(settings.lease())),
        "renewing");
  }

  /** Keeps this node's places under concurrency limits while their attempts run. */
  private void renewLimitLeases() {
    try {
      Set<String> holders = new HashSet<>();
      for (Worker worker : workers.values()) {
        Place held = worker.place;
        if (held != null) {
          holders.add(held.holder());
        }
      }
      if (holders.isEmpty()) {
        return;
      }
      Instant now = clock.instant();
      limits.leases().renew(settings.nodeId(), holders, now, now.plus(settings.lease()));
    } catch (RuntimeException storeTrouble) {
      LOG.log(
          Level.WARNING, "renewing places under limits failed; trying again shortly", storeTrouble);
    }
  }

  private void checkClaims() {
    stopWorkersWhoseClaimIsGone(mine -> claims.held(settings.nodeId(), mine), "checking");
  }

  /**
   * Stops the workers whose thread this node no longer holds: deleted, or taken over by another
   * node after this one stalled past its lease. Runs on the timer thread only.
   *
   * @param stillHeld which of the given threads this node still holds
   */
  private void stopWorkersWhoseClaimIsGone(
      Function<Set<ThreadId>, Set<ThreadId>> stillHeld, String what) {
    if (workers.isEmpty()) {
      return;
    }
    try {
      // a copy: workers claimed while this runs were not part of the question
      Set<ThreadId> mine = Set.copyOf(workers.keySet());
      Set<ThreadId> held = stillHeld.apply(mine);
      for (ThreadId id : mine) {
        Worker worker = workers.get(id);
        // a worker whose thread has just settled let go of the claim itself
        if (!held.contains(id) && worker != null && !worker.thread.isSettled()) {
          try (EngineObserver.Scope about = observer.workingOn(id)) {
            LOG.log(Level.INFO, "thread {0}: taken over by another node or deleted", id);
          }
          worker.stop(StopReason.CLAIM_LOST);
        }
      }
    } catch (RuntimeException storeTrouble) {
      LOG.log(Level.WARNING, what + " claims failed; trying again shortly", storeTrouble);
    }
  }

  /**
   * When a thread that may run a step now became able to: when it became pending (created, resumed
   * or retried), or when its retry backoff ended. Null for a thread taken over from a dead or
   * stopped owner, whose wait is not a queue's.
   */
  private Instant runnableSince(WorkflowThread thread) {
    return switch (thread.status()) {
      case PENDING -> thread.lastUpdated();
      case RUNNING ->
          thread.runningStep().isPresent()
              ? null
              : thread.nextStepToRun().map(step -> endOfBackoff(thread, step)).orElse(null);
      case PAUSED, COMPLETED, FAILED -> null;
    };
  }

  /**
   * When the thread's {@code step} may start its next attempt, by its definition's retry policy.
   */
  private Instant endOfBackoff(WorkflowThread thread, ThreadStep step) {
    return step.nextAttemptNotBefore(stepDefinition(thread, step.name()).retry());
  }

  private StepDefinition stepDefinition(WorkflowThread thread, String stepName) {
    return definitionOf(thread)
        .step(stepName)
        .orElseThrow(() -> new IllegalStateException("no step definition " + stepName));
  }

  private WorkflowDefinition definitionOf(WorkflowThread thread) {
    String key = thread.workflowType() + ":" + thread.workflowVersion();
    return definitions.computeIfAbsent(
        key,
        missing ->
            catalog
                .find(thread.workflowType(), thread.workflowVersion())
                .orElseThrow(
                    () -> new IllegalStateException("thread " + thread.id() + " has no workflow")));
  }

  /** Places under limits taken for one attempt at {@code stepName}. */
  private record Place(String stepName, List<Limit> limits, String holder) {}

  /** Works on one claimed thread until it needs no worker, or the worker is stopped. */
  private final class Worker implements Runnable {

    private final ThreadId id;
    private final Instant claimedAt;
    private volatile WorkflowThread thread;
    private final WorkerStop stop = new WorkerStop();

    /** Set once this worker has parked the thread's attempt: it lets go and ends then. */
    private boolean parked;

    /**
     * Set when this worker's last write settled the thread: the store ended the claim in that same
     * write ({@link ThreadClaims#updateIfHeld}), so a release after it would be a write for nothing
     * (one per thread, a tenth of a commit per step for threads of ten steps).
     */
    private boolean claimEndedByWrite;

    /** The places under limits this worker holds for the attempt it starts or runs. */
    private volatile Place place;

    /** Until when a limit refused this worker's next attempt. */
    private Instant heldBackUntil;

    Worker(WorkflowThread thread, Instant claimedAt) {
      this.id = thread.id();
      this.thread = thread;
      this.claimedAt = claimedAt;
    }

    void stop(StopReason reason) {
      stop.stop(reason);
    }

    /** The thread was paused: an attempt whose agent stops on pause is given up. */
    void pause() {
      stop.pause();
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
        reportClaimLag();
        work();
      } catch (ClaimLostException lost) {
        LOG.log(Level.INFO, "thread {0}: {1}", id, lost.getMessage());
      } catch (RuntimeException unexpected) {
        // back off for a lease before anyone tries again, rather than failing in a tight loop
        LOG.log(Level.ERROR, "thread " + id + ": the engine could not run it", unexpected);
        letGo(now().plus(settings.lease()));
      } finally {
        givePlaceBack();
        // a cancelled thread is kept, failed: nothing will run it, so nobody needs its claim
        if (stop.reason() == StopReason.SHUTDOWN || stop.reason() == StopReason.CANCELLED) {
          letGo(null);
        }
        workers.remove(id);
        synchronized (workers) {
          workers.notifyAll();
        }
        wake();
      }
    }

    /**
     * Claimed ahead of its time, the worker waits for it here, in short naps so that a stop is seen
     * soon; the thread then goes on as if claimed at that time.
     */
    private void awaitClaimedTime() {
      while (!stop.isStopped() && !draining) {
        long nanosLeft = Duration.between(now(), claimedAt).toNanos();
        if (nanosLeft <= 0) {
          return;
        }
        LockSupport.parkNanos(Math.min(nanosLeft, AHEAD_NAP.toNanos()));
      }
    }

    private void reportClaimLag() {
      Instant since = runnableSince(thread);
      if (since != null) {
        Duration waited = Duration.between(since, claimedAt);
        observer.claimed(thread.workflowType(), waited.isNegative() ? Duration.ZERO : waited);
      }
    }

    private void work() {
      while (!stop.isStopped()) {
        ThreadStep inFlight = thread.runningStep().orElse(null);
        if (inFlight != null && inFlight.isParked() && parked) {
          // the attempt waits without a worker; the claim becomes free when it is due
          letGoUntil(inFlight.dueAt());
          return;
        }
        if (draining) {
          // the engine closes: the step in flight is recorded, the next owner runs the others
          letGo(null);
          return;
        }
        if (inFlight != null && inFlight.isParked()) {
          // due, or woken early by what it waits for: the same attempt goes on
          if (!takePlace(inFlight)) {
            letGoUntil(heldBackUntil);
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
              letGo(startAt);
              return;
            }
            // held back by a limit, the thread stays pending
            ThreadStep first =
                thread.steps().stream()
                    .filter(step -> step.status() == StepStatus.PENDING)
                    .findFirst()
                    .orElse(null);
            if (first != null && !takePlace(first)) {
              letGoUntil(heldBackUntil);
              return;
            }
            changeAndRun(thread::start);
          }
          case RUNNING -> {
            ThreadStep step = thread.nextStepToRun().orElseThrow();
            Instant notBefore = endOfBackoff(thread, step);
            if (notBefore != null && now().isBefore(notBefore)) {
              letGoUntil(notBefore);
              return;
            }
            if (!takePlace(step)) {
              letGoUntil(heldBackUntil);
              return;
            }
            if (save(() -> thread.startStep(step.name(), now()))) {
              runSteps(step.name());
            }
          }
          case PAUSED, COMPLETED, FAILED -> {
            if (!claimEndedByWrite) {
              letGo(null);
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

    /**
     * Runs {@code first}, which is started, and each step started with its predecessor's result.
     */
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
      givePlaceBack();
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
      if (stop.isStopped() || draining) {
        return null;
      }
      ThreadStep next = thread.nextStepToRun().orElse(null);
      if (next == null) {
        return null;
      }
      Instant notBefore = endOfBackoff(thread, next);
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
      return ThreadEngine.this.stepDefinition(thread, stepName);
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
        thread = claims.updateIfHeld(thread, settings.nodeId());
        claimEndedByWrite = thread.isSettled();
        return true;
      } catch (ConcurrentThreadUpdateException raced) {
        thread = claims.find(id).orElseThrow(() -> new ClaimLostException(id, settings.nodeId()));
        claimEndedByWrite = false;
        return false;
      }
    }

    /**
     * Takes the places the attempt at {@code step} needs under the limits of its agent and its
     * workflow type, unless this worker holds them already.
     *
     * @return false when a limit holds the attempt back, until {@link #heldBackUntil}
     */
    private boolean takePlace(ThreadStep step) {
      String agent = stepDefinition(step.name()).agent();
      List<Limit> needed = limits.of(agent, thread.workflowType());
      if (needed.isEmpty() || (place != null && place.stepName().equals(step.name()))) {
        return true;
      }
      Instant now = now();
      if (heldBackUntil != null && now.isBefore(heldBackUntil)) {
        // refused a moment ago, while saving the step before: no need to ask again
        return false;
      }
      givePlaceBack();
      String holder = UUID.randomUUID().toString();
      Optional<LimitLeases.Refusal> refusal;
      try {
        refusal =
            limits
                .leases()
                .take(needed, holder, settings.nodeId(), now, now.plus(settings.lease()));
      } catch (RuntimeException storeTrouble) {
        // held back rather than thrown: a step result being saved with this start is kept
        LOG.log(
            Level.WARNING, "thread " + id + ": taking a place under limits failed", storeTrouble);
        refusal = Optional.of(new LimitLeases.Refusal(needed.get(0).key(), null));
      }
      if (refusal.isPresent()) {
        Instant retryAt = refusal.get().retryAt();
        heldBackUntil = retryAt != null && retryAt.isAfter(now) ? retryAt : now.plus(LIMIT_RECHECK);
        heldBack.refused(id, refusal.get().limit(), now);
        LOG.log(
            Level.DEBUG,
            "thread {0} step {1}: held back by limit {2} until {3}",
            id,
            step.name(),
            refusal.get().limit(),
            heldBackUntil);
        return false;
      }
      heldBackUntil = null;
      place = new Place(step.name(), needed, holder);
      heldBack
          .started(id)
          .ifPresent(
              wait -> observer.limitWaited(wait.limit(), Duration.between(wait.since(), now)));
      return true;
    }

    /** Frees the places this worker holds, and wakes a thread of this node waiting for one. */
    private void givePlaceBack() {
      Place held = place;
      if (held == null) {
        return;
      }
      place = null;
      try {
        limits.leases().giveBack(held.limits(), held.holder());
        for (Limit limit : held.limits()) {
          if (limit.limitsConcurrency()) {
            heldBack.nextWaitingOn(limit.key()).ifPresent(claims::wake);
          }
        }
        wake();
      } catch (RuntimeException storeTrouble) {
        // no renewal asks for it any more: the lease expires
        LOG.log(
            Level.WARNING,
            "thread " + id + ": freeing its place under limits failed",
            storeTrouble);
      }
    }

    /** Lets go of the thread until {@code notBefore}, and wakes this node's claiming then. */
    private void letGoUntil(Instant notBefore) {
      letGo(notBefore);
      timer.schedule(
          ThreadEngine.this::wake,
          Math.max(0, Duration.between(now(), notBefore).toMillis()),
          TimeUnit.MILLISECONDS);
    }

    private void letGo(Instant notBefore) {
      try {
        claims.release(id, settings.nodeId(), notBefore);
      } catch (RuntimeException storeTrouble) {
        // the claim simply expires with its lease
        LOG.log(Level.WARNING, "thread " + id + ": releasing its claim failed", storeTrouble);
      }
    }

    private Instant now() {
      return clock.instant();
    }
  }
}
