package io.orchestro.threads.application.engine;

import io.orchestro.threads.application.port.out.EngineObserver;
import io.orchestro.threads.application.port.out.EngineSignal;
import io.orchestro.threads.application.port.out.ThreadClaims;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadStatus;
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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Claims runnable threads and keeps the claims: one dispatcher thread claims work when woken (a
 * thread was created, resumed or retried, a worker finished, a wait ended) and, as a safety net,
 * every poll interval, and gives each claimed thread a {@link ThreadWorker}. A timer renews this
 * node's claims every third of the lease and, in between, checks every {@link
 * ThreadEngine#CLAIM_CHECK_INTERVAL} which of its threads it still holds, stopping the worker of a
 * thread deleted or taken over through another node, and which of them are paused, giving up their
 * attempt in flight when its agent stops on pause.
 */
final class Dispatcher {

  // one logger name for all of the engine's lines, whichever of its parts writes them
  private static final Logger LOG = System.getLogger(ThreadEngine.class.getName());
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

  /** Makes the worker of a thread claimed at an instant. */
  interface Workers {
    ThreadWorker workerFor(WorkflowThread thread, Instant claimedAt);

    /**
     * Starts a thread being created, claimed at {@code claimedAt}, and its first step, when that
     * step may start at once ({@link EngineSignal.NewClaim#startFirstStep}).
     */
    void startFirstStep(WorkflowThread created, Instant claimedAt);
  }

  private final ThreadClaims claims;
  private final Clock clock;
  private final Executor executor;
  private final EngineSettings settings;
  private final EngineObserver observer;
  private final ThreadLimits limits;
  private final Workers newWorkers;
  private final Map<ThreadId, ThreadWorker> workers = new ConcurrentHashMap<>();

  /**
   * Workers of threads claimed again while their previous worker was still ending (a thread retried
   * right after it failed): each starts as soon as the one before it has ended, not after a lease.
   */
  private final Map<ThreadId, ThreadWorker> claimedWhileEnding = new ConcurrentHashMap<>();

  private final BlockingQueue<Boolean> wakeUp = new ArrayBlockingQueue<>(1);

  /**
   * Set by {@link #wake}, at the start and by every round that no wake-up cut short: something may
   * have become claimable (a thread created, resumed or retried, a wait ended, a place under a
   * limit freed, work of another node, a due time) since the dispatcher last looked. A worker that
   * ends ({@link #ended}) wakes the dispatcher without it: it frees a place but makes nothing
   * claimable that the dispatcher has not seen.
   */
  private final AtomicBoolean news = new AtomicBoolean(true);

  /** Only the dispatcher uses it: the start time its last claim ahead was for. */
  private Instant claimedAheadFor;

  /**
   * Only the dispatcher uses it: its last claim found fewer threads than it had places for, so
   * nothing else was claimable then. A place freed since changes nothing about that: until
   * something new comes ({@link #news}) or the poll interval or a due time runs out, the dispatcher
   * does not ask again. Read by {@link #claimNew} too.
   */
  private volatile boolean starved;

  /** Places held for threads being created claimed by this node ({@link #claimNew}). */
  private final AtomicInteger heldForNew = new AtomicInteger();

  /** Only the dispatcher uses it: the next due time from its last look, to sleep until. */
  private Optional<Instant> knownNextDue = Optional.empty();

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

  private Thread loop;

  Dispatcher(
      ThreadClaims claims,
      Clock clock,
      Executor executor,
      EngineSettings settings,
      EngineObserver observer,
      ThreadLimits limits,
      Workers newWorkers) {
    this.claims = claims;
    this.clock = clock;
    this.executor = executor;
    this.settings = settings;
    this.observer = observer;
    this.limits = limits;
    this.newWorkers = newWorkers;
  }

  void start() {
    running = true;
    long renewMillis = settings.lease().toMillis() / 3;
    timer.scheduleWithFixedDelay(
        this::renewClaims, renewMillis, renewMillis, TimeUnit.MILLISECONDS);
    if (!limits.isEmpty()) {
      timer.scheduleWithFixedDelay(
          this::renewLimitLeases, renewMillis, renewMillis, TimeUnit.MILLISECONDS);
    }
    long checkMillis = ThreadEngine.CLAIM_CHECK_INTERVAL.toMillis();
    if (checkMillis < renewMillis) {
      timer.scheduleWithFixedDelay(
          this::checkClaims, checkMillis, checkMillis, TimeUnit.MILLISECONDS);
    }
    loop = new Thread(this::dispatch, "orchestro-engine-dispatcher");
    loop.setDaemon(true);
    loop.start();
  }

  /** As {@link ThreadEngine#close()} says. */
  void close() {
    running = false;
    draining = true;
    wake();
    try {
      // the workers of a claim it is finishing drain with the others below
      loop.join(SHUTDOWN_GRACE.toMillis());
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

  /** True while the engine closes: workers start no other step and let go. */
  boolean isDraining() {
    return draining;
  }

  /** False once the dispatcher thread died while the engine runs. */
  boolean isAlive() {
    Thread current = loop;
    return !running || current == null || current.isAlive();
  }

  int runningThreads() {
    return workers.size();
  }

  /** Stops the worker of thread {@code id}, if this node runs one. */
  void stop(ThreadId id, StopReason reason) {
    ThreadWorker worker = workers.get(id);
    if (worker != null) {
      worker.stop(reason);
    }
  }

  /** The thread was paused: its worker gives up an attempt whose agent stops on pause. */
  void pause(ThreadId id) {
    ThreadWorker worker = workers.get(id);
    if (worker != null) {
      worker.pause();
    }
  }

  /** Claims again now, rather than at the next poll: something may have become claimable. */
  void wake() {
    news.set(true);
    wakeUp.offer(Boolean.TRUE);
  }

  /** Claims again at {@code when}: a thread let go until then becomes claimable. */
  void wakeAt(Instant when) {
    timer.schedule(
        this::wake,
        Math.max(0, Duration.between(clock.instant(), when).toMillis()),
        TimeUnit.MILLISECONDS);
  }

  /**
   * A place for a thread being created, claimed by this node in its insert: given only while the
   * dispatcher knows of no claimable thread in the store (its last claim found fewer threads than
   * it had places for, and nothing became claimable since), so that the new thread passes none
   * waiting before it, whatever their priorities. A thread made claimable meanwhile elsewhere (on
   * another node, or by a resume here between the check and the insert) is claimed at the next
   * round, as it would be beside a dispatcher's claim.
   *
   * @return null when the thread is to be claimed by the dispatcher as usual
   */
  EngineSignal.NewClaim claimNew() {
    if (!running || draining || !starved || news.get()) {
      return null;
    }
    if (workers.size() + heldForNew.incrementAndGet() > settings.maxRunningThreads()) {
      heldForNew.decrementAndGet();
      return null;
    }
    return new NewClaim(System.nanoTime(), clock.instant());
  }

  /** One place held by {@link #claimNew}, let go once: by a start or a cancel. */
  private final class NewClaim implements EngineSignal.NewClaim {
    private final AtomicBoolean ended = new AtomicBoolean();
    private final long claimedAtNanos;
    private final Instant claimedAt;

    NewClaim(long claimedAtNanos, Instant claimedAt) {
      // taken before the insert: as the timer judges its age, no fresher than its lease
      this.claimedAtNanos = claimedAtNanos;
      this.claimedAt = claimedAt;
    }

    @Override
    public String owner() {
      return settings.nodeId();
    }

    @Override
    public Instant leaseUntil() {
      return claimedAt.plus(settings.lease());
    }

    @Override
    public void startFirstStep(WorkflowThread created) {
      newWorkers.startFirstStep(created, claimedAt);
    }

    @Override
    public void start(WorkflowThread stored) {
      if (ended.compareAndSet(false, true)) {
        ThreadWorker worker = newWorkers.workerFor(stored, claimedAt);
        worker.claimSetAt(claimedAtNanos);
        // a new thread with a step in flight was started by startFirstStep, for the insert
        if (stored.runningStep().isPresent()) {
          worker.firstStepStartedAtCreate();
        }
        // in the workers before the place is given back, so the count never dips below the truth
        Dispatcher.this.start(stored.id(), worker);
        heldForNew.decrementAndGet();
      }
    }

    @Override
    public void cancel() {
      if (ended.compareAndSet(false, true)) {
        heldForNew.decrementAndGet();
      }
    }
  }

  /** The worker of thread {@code id} has ended: its place goes to another thread. */
  void ended(ThreadId id) {
    workers.remove(id);
    startClaimedWhileEnding(id);
    synchronized (workers) {
      workers.notifyAll();
    }
    // a place is free: worth a claim unless the last one found nothing more (see starved)
    wakeUp.offer(Boolean.TRUE);
  }

  private void dispatch() {
    // the time the next claim is made for: null for now, or a start time a claim ahead takes
    Instant claimFor = null;
    while (running) {
      // a round woken only by workers that ended, after a claim that found nothing more, has
      // nothing to claim and no new due time to learn: it asks the store nothing
      boolean look = news.getAndSet(false);
      boolean mayBeMore = false;
      if (look || !starved) {
        try {
          mayBeMore = claimAndRun(claimFor);
        } catch (RuntimeException storeTrouble) {
          starved = false;
          look = true;
          LOG.log(Level.WARNING, "claiming threads failed; trying again shortly", storeTrouble);
        }
      }
      claimFor = null;
      if (!mayBeMore) {
        NextRound next = nextRound(look);
        try {
          if (wakeUp.poll(next.sleep().toMillis(), TimeUnit.MILLISECONDS) == null) {
            claimFor = next.claimFor();
            // a round that no wake-up asked for looks at everything
            news.set(true);
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
   *
   * @param look whether to ask the store; otherwise the due time of the last look holds, unless it
   *     has passed
   */
  private NextRound nextRound(boolean look) {
    Duration poll = settings.pollInterval();
    Instant now = clock.instant();
    if (look || knownNextDue.filter(due -> !due.isAfter(now)).isPresent()) {
      try {
        knownNextDue = claims.nextClaimableAt(now);
      } catch (RuntimeException storeTrouble) {
        knownNextDue = Optional.empty();
        LOG.log(Level.WARNING, "looking for the next start time failed", storeTrouble);
        return new NextRound(poll, null);
      }
    }
    Optional<Instant> nextDue = knownNextDue;
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
    int free = settings.maxRunningThreads() - workers.size() - heldForNew.get();
    if (free <= 0) {
      starved = false;
      return false;
    }
    int limit = Math.min(free, settings.claimBatch());
    // taken with the lease's start: a claim, as the timer judges its age, is no fresher than its
    // lease
    long claimedAtNanos = System.nanoTime();
    Instant now = clock.instant();
    Instant claimableBy = claimFor != null && claimFor.isAfter(now) ? claimFor : now;
    claimedAheadFor = claimFor;
    List<WorkflowThread> claimed =
        claims.claim(settings.nodeId(), claimableBy, now.plus(settings.lease()), limit);
    for (WorkflowThread thread : claimed) {
      // claimed ahead, a worker waits until the time it was claimed for
      ThreadWorker worker = newWorkers.workerFor(thread, claimableBy);
      worker.claimSetAt(claimedAtNanos);
      start(thread.id(), worker);
    }
    starved = claimed.size() < limit;
    return claimed.size() == limit && workers.size() < settings.maxRunningThreads();
  }

  /** Starts the worker, or has the previous worker of its thread start it as it ends. */
  private void start(ThreadId id, ThreadWorker worker) {
    if (workers.putIfAbsent(id, worker) == null) {
      executor.execute(worker);
      return;
    }
    claimedWhileEnding.put(id, worker);
    if (!workers.containsKey(id)) {
      // the previous worker ended in between, maybe before it could see this one
      startClaimedWhileEnding(id);
    }
  }

  private void startClaimedWhileEnding(ThreadId id) {
    ThreadWorker next = claimedWhileEnding.remove(id);
    if (next != null) {
      start(id, next);
    }
  }

  /**
   * Renews the claims made or renewed more than half a renewal period ago. A fresher one still has
   * more than half its lease ahead at the next renewal: renewing it too would be a row write per
   * thread for nothing, which with thousands of threads claimed at once cost more than their steps.
   */
  private void renewClaims() {
    stopWorkersWhoseClaimIsGone(
        settings.lease().dividedBy(6),
        mine -> {
          long renewedAtNanos = System.nanoTime();
          Set<ThreadId> held =
              claims.renew(settings.nodeId(), mine, clock.instant().plus(settings.lease()));
          for (ThreadId id : held) {
            ThreadWorker worker = workers.get(id);
            if (worker != null) {
              worker.claimSetAt(renewedAtNanos);
            }
          }
          return held;
        },
        "renewing");
  }

  /** Keeps this node's places under concurrency limits while their attempts run. */
  private void renewLimitLeases() {
    try {
      Set<String> holders = new HashSet<>();
      for (ThreadWorker worker : workers.values()) {
        String holder = worker.placeHolder();
        if (holder != null) {
          holders.add(holder);
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

  /**
   * Between renewals: stops the workers of threads this node no longer holds, and tells those of
   * threads paused through another node (or while this node's signal was missed), in the same read:
   * an attempt whose agent stops on pause is given up there as a local pause gives it up.
   */
  private void checkClaims() {
    // a claim made since the last check read the row then
    stopWorkersWhoseClaimIsGone(
        ThreadEngine.CLAIM_CHECK_INTERVAL,
        mine -> {
          Map<ThreadId, ThreadStatus> held = claims.heldStatuses(settings.nodeId(), mine);
          held.forEach(
              (id, status) -> {
                if (status == ThreadStatus.PAUSED) {
                  pause(id);
                }
              });
          return held.keySet();
        },
        "checking");
  }

  /**
   * Stops the workers whose thread this node no longer holds: deleted, or taken over by another
   * node after this one stalled past its lease. Runs on the timer thread only.
   *
   * @param fresh the threads whose claim was made or last renewed within it are not asked about
   * @param stillHeld which of the given threads this node still holds
   */
  private void stopWorkersWhoseClaimIsGone(
      Duration fresh, Function<Set<ThreadId>, Set<ThreadId>> stillHeld, String what) {
    if (workers.isEmpty()) {
      return;
    }
    try {
      // a copy: workers claimed while this runs were not part of the question
      Set<ThreadId> mine = new HashSet<>();
      workers.forEach(
          (id, worker) -> {
            if (!worker.claimSetWithin(fresh)) {
              mine.add(id);
            }
          });
      if (mine.isEmpty()) {
        return;
      }
      Set<ThreadId> held = stillHeld.apply(mine);
      for (ThreadId id : mine) {
        ThreadWorker worker = workers.get(id);
        // a worker whose thread has just settled let go of the claim itself
        if (!held.contains(id) && worker != null && !worker.threadIsSettled()) {
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
}
