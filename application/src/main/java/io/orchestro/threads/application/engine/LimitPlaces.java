package io.orchestro.threads.application.engine;

import io.orchestro.threads.application.port.out.EngineObserver;
import io.orchestro.threads.application.port.out.Limit;
import io.orchestro.threads.application.port.out.LimitLeases;
import io.orchestro.threads.application.port.out.ThreadClaims;
import io.orchestro.threads.domain.ThreadId;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The places under the limits of its agent and its workflow type that one worker takes for the
 * attempt it starts or runs, and gives back when the attempt ends.
 */
final class LimitPlaces {

  // one logger name for all of the engine's lines, whichever of its parts writes them
  private static final Logger LOG = System.getLogger(ThreadEngine.class.getName());

  /** Places under limits taken for one attempt at {@code stepName}. */
  private record Place(String stepName, List<Limit> limits, String holder) {}

  private final ThreadId id;
  private final ThreadLimits limits;
  private final HeldBackThreads heldBack;
  private final ThreadClaims claims;
  private final Dispatcher dispatcher;
  private final Clock clock;
  private final EngineSettings settings;
  private final EngineObserver observer;

  /** The places held for the attempt this worker starts or runs. */
  private volatile Place place;

  /** Until when a limit refused this worker's next attempt. */
  private Instant heldBackUntil;

  LimitPlaces(
      ThreadId id,
      ThreadLimits limits,
      HeldBackThreads heldBack,
      ThreadClaims claims,
      Dispatcher dispatcher,
      Clock clock,
      EngineSettings settings,
      EngineObserver observer) {
    this.id = id;
    this.limits = limits;
    this.heldBack = heldBack;
    this.claims = claims;
    this.dispatcher = dispatcher;
    this.clock = clock;
    this.settings = settings;
    this.observer = observer;
  }

  /** The holder name of the places held now, for their renewal, or null. */
  String holder() {
    Place held = place;
    return held == null ? null : held.holder();
  }

  /** Until when the last refusal holds the attempt back. */
  Instant heldBackUntil() {
    return heldBackUntil;
  }

  /**
   * Takes the places the attempt at {@code stepName} of a thread of {@code workflowType} needs
   * under the limits of {@code agent} and of the workflow type, unless they are held already.
   *
   * @return false when a limit holds the attempt back, until {@link #heldBackUntil}
   */
  boolean take(String stepName, String agent, String workflowType) {
    List<Limit> needed = limits.of(agent, workflowType);
    if (needed.isEmpty() || (place != null && place.stepName().equals(stepName))) {
      return true;
    }
    Instant now = clock.instant();
    if (heldBackUntil != null && now.isBefore(heldBackUntil)) {
      // refused a moment ago, while saving the step before: no need to ask again
      return false;
    }
    giveBack();
    String holder = UUID.randomUUID().toString();
    Optional<LimitLeases.Refusal> refusal;
    try {
      refusal =
          limits.leases().take(needed, holder, settings.nodeId(), now, now.plus(settings.lease()));
    } catch (RuntimeException storeTrouble) {
      // held back rather than thrown: a step result being saved with this start is kept
      LOG.log(Level.WARNING, "thread " + id + ": taking a place under limits failed", storeTrouble);
      refusal = Optional.of(new LimitLeases.Refusal(needed.get(0).key(), null));
    }
    if (refusal.isPresent()) {
      Instant retryAt = refusal.get().retryAt();
      heldBackUntil =
          retryAt != null && retryAt.isAfter(now) ? retryAt : now.plus(ThreadEngine.LIMIT_RECHECK);
      heldBack.refused(id, refusal.get().limit(), now);
      noteRefusal(refusal.get().limit(), now);
      LOG.log(
          Level.DEBUG,
          "thread {0} step {1}: held back by limit {2} until {3}",
          id,
          stepName,
          refusal.get().limit(),
          heldBackUntil);
      return false;
    }
    heldBackUntil = null;
    place = new Place(stepName, needed, holder);
    Optional<HeldBackThreads.Wait> waitHere = heldBack.started(id);
    endWait(waitHere)
        .ifPresent(wait -> observer.limitWaited(wait.limit(), Duration.between(wait.since(), now)));
    return true;
  }

  /** Notes the refusal where every node sees it, so that the wait counts from the first one. */
  private void noteRefusal(String limit, Instant now) {
    try {
      limits.leases().refused(id, limit, now);
    } catch (RuntimeException storeTrouble) {
      // only the wait's measure is lost
      LOG.log(
          Level.WARNING, "thread " + id + ": noting its refusal under limits failed", storeTrouble);
    }
  }

  /**
   * The wait that ends as the thread gets its places: since its first refusal on any node. This
   * node's own record serves only when the shared one cannot be read; it may be stale, left from a
   * wait that another node ended.
   */
  private Optional<LimitLeases.Wait> endWait(Optional<HeldBackThreads.Wait> waitHere) {
    try {
      return limits.leases().waitEnded(id);
    } catch (RuntimeException storeTrouble) {
      LOG.log(
          Level.WARNING, "thread " + id + ": ending its wait under limits failed", storeTrouble);
      return waitHere.map(wait -> new LimitLeases.Wait(wait.limit(), wait.since()));
    }
  }

  /** Frees the places held, and wakes a thread of this node waiting for one. */
  void giveBack() {
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
      dispatcher.wake();
    } catch (RuntimeException storeTrouble) {
      // no renewal asks for it any more: the lease expires
      LOG.log(
          Level.WARNING, "thread " + id + ": freeing its place under limits failed", storeTrouble);
    }
  }
}
