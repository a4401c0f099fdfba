package io.orchestro.threads.application.engine;

import io.orchestro.threads.application.agent.Agents;
import io.orchestro.threads.application.port.out.AttemptFailedException;
import io.orchestro.threads.application.port.out.EngineObserver;
import io.orchestro.threads.application.port.out.EngineSignal;
import io.orchestro.threads.application.port.out.ThreadClaims;
import io.orchestro.threads.application.port.out.WorkflowCatalog;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.ThreadStep;
import io.orchestro.threads.domain.WorkflowThread;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;

/**
 * Runs threads: claims runnable ones, runs each one's steps in order on the {@link Executor} it is
 * given, and stores every step start and result before moving on. Between steps it works on the
 * thread as stored, so a pause or delete made meanwhile stops it there.
 *
 * <p>The engine's parts: the {@link Dispatcher} claims work and keeps the claims; each claimed
 * thread gets a {@link ThreadWorker}, which runs its steps in order; each attempt at a step runs
 * through {@link StepAttempts} as a task of its own, so that the worker can give up on it (timeout,
 * delete) even when the agent does not stop; the {@link ThreadWriter} stores every start and
 * result, and {@link LimitPlaces} keep a worker within the limits of its agent and workflow type.
 *
 * <p>Several engines (nodes) may share one store and know nothing of each other. A timer renews
 * this node's claims every third of the lease and, in between, checks every {@link
 * #CLAIM_CHECK_INTERVAL} which of its threads it still holds: a thread deleted through another
 * node, or taken over after this node stalled past its lease, stops its worker and cancels its
 * agent; a thread paused through another node has its attempt given up, when its agent stops on
 * pause, as a local pause does. Every step write is fenced by the claim, so a stalled node that has
 * not noticed yet cannot record anything over the new owner's work.
 */
public final class ThreadEngine implements EngineSignal, AutoCloseable {

  private static final Logger LOG = System.getLogger(ThreadEngine.class.getName());

  /**
   * How often the engine asks the store which of its threads it still holds, between renewals: a
   * delete or take-over made through another node stops the worker (and cancels its agent) within
   * about this long, and a pause made through another node gives up an attempt whose agent stops on
   * pause. A read of the running threads' rows, far cheaper than a renewal's writes.
   */
  public static final Duration CLAIM_CHECK_INTERVAL = Duration.ofSeconds(1);

  /**
   * How soon a thread held back by a full concurrency limit tries again: a place freed on this node
   * wakes one of its waiting threads at once, but one freed on another node is only seen so.
   */
  public static final Duration LIMIT_RECHECK = Duration.ofSeconds(1);

  /**
   * How long a service's 429s (an agent's {@link AttemptFailedException#rateLimited}) hold one
   * attempt back without counting it: after this, from the attempt's start, a 429 is a failed
   * attempt as any other, and the step's retry policy decides.
   */
  public static final Duration RATE_LIMITED_PATIENCE = Duration.ofMinutes(10);

  private final ThreadClaims claims;
  private final Clock clock;
  private final EngineSettings settings;
  private final EngineObserver observer;
  private final ThreadLimits limits;
  private final HeldBackThreads heldBack = new HeldBackThreads();
  private final StepDefinitions definitions;
  private final StepAttempts attempts;
  private final ThreadWriter writer;
  private final Dispatcher dispatcher;
  private boolean running;

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
    this.clock = clock;
    this.settings = settings;
    this.observer = observer;
    this.limits = limits;
    this.definitions = new StepDefinitions(catalog);
    this.attempts = new StepAttempts(agents, executor, clock, settings, observer, limits, progress);
    this.writer = new ThreadWriter(claims, settings.nodeId());
    this.dispatcher =
        new Dispatcher(
            claims,
            clock,
            executor,
            settings,
            observer,
            limits,
            new Dispatcher.Workers() {
              @Override
              public ThreadWorker workerFor(WorkflowThread thread, Instant claimedAt) {
                return ThreadEngine.this.workerFor(thread, claimedAt);
              }

              @Override
              public void startFirstStep(WorkflowThread created, Instant claimedAt) {
                ThreadEngine.this.startFirstStep(created, claimedAt);
              }
            });
  }

  /**
   * Starts a thread being created and its first step at {@code now}, as its worker would in its
   * first write, so that the insert stores them: a write fewer per thread. Not when the step must
   * wait (a start time ahead) or needs a place under a limit of its agent or workflow type, which
   * only the worker takes; the worker then starts it as usual.
   */
  private void startFirstStep(WorkflowThread created, Instant now) {
    if (created.status() != ThreadStatus.PENDING || created.waitsForStartAt(now)) {
      return;
    }
    ThreadStep first = created.firstPendingStep().orElse(null);
    if (first == null
        || definitions.nextAttemptNotBefore(created, first) != null
        || !limits
            .of(definitions.of(created, first.name()).agent(), created.workflowType())
            .isEmpty()) {
      return;
    }
    created.start(now);
    created.startStep(first.name(), now);
  }

  private ThreadWorker workerFor(WorkflowThread thread, Instant claimedAt) {
    LimitPlaces places =
        new LimitPlaces(
            thread.id(), limits, heldBack, claims, dispatcher, clock, settings, observer);
    return new ThreadWorker(
        thread,
        claimedAt,
        dispatcher,
        writer,
        attempts,
        definitions,
        places,
        clock,
        settings,
        observer);
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
   * write; attempts are cancelled through their {@link
   * io.orchestro.threads.application.port.out.Cancellation}. The timer keeps renewing the claims
   * during the grace, which may outlast a lease.
   */
  @Override
  public synchronized void close() {
    if (!running) {
      return;
    }
    running = false;
    dispatcher.close();
  }

  @Override
  public void runnable(ThreadId id) {
    dispatcher.wake();
  }

  @Override
  public NewClaim claimNew() {
    return dispatcher.claimNew();
  }

  @Override
  public void deleted(ThreadId id) {
    heldBack.forget(id);
    forgetWait(id);
    dispatcher.stop(id, StopReason.DELETED);
  }

  /** A deleted thread waits no more: its noted refusal, if any, would otherwise stay behind. */
  private void forgetWait(ThreadId id) {
    try {
      limits.leases().waitEnded(id);
    } catch (RuntimeException storeTrouble) {
      LOG.log(
          Level.WARNING,
          "thread " + id + ": forgetting its wait under limits failed",
          storeTrouble);
    }
  }

  @Override
  public void paused(ThreadId id) {
    dispatcher.pause(id);
  }

  @Override
  public void cancelled(ThreadId id) {
    heldBack.forget(id);
    dispatcher.stop(id, StopReason.CANCELLED);
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
    return dispatcher.isAlive();
  }

  /** True once {@link #close()} has begun: workers finish their attempt and start no other step. */
  boolean isClosing() {
    return dispatcher.isDraining();
  }

  /** How many threads this node works on now. */
  public int runningThreads() {
    return dispatcher.runningThreads();
  }
}
