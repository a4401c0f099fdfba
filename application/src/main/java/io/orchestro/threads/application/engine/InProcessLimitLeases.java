package io.orchestro.threads.application.engine;

import io.orchestro.threads.application.port.out.Limit;
import io.orchestro.threads.application.port.out.LimitLeases;
import io.orchestro.threads.domain.ThreadId;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Limits held in this process only: enough for a store that one node alone uses (JSON files). The
 * same rules as the database's: leases that expire unless renewed, rate marks that count for a
 * period, hold-backs.
 */
public final class InProcessLimitLeases implements LimitLeases {

  private record Lease(String owner, Instant until) {}

  /** What one limit has given out. */
  private static final class Places {
    final Map<String, Lease> leases = new HashMap<>();
    // the starts within the rate's period, oldest first
    final Deque<Instant> marks = new ArrayDeque<>();
    Instant heldBackUntil;
  }

  private final Map<String, Places> byLimit = new HashMap<>();

  private final Map<ThreadId, Wait> waits = new HashMap<>();

  @Override
  public synchronized Optional<Refusal> take(
      List<Limit> limits, String holder, String owner, Instant now, Instant leaseUntil) {
    for (Limit limit : limits) {
      Places places = placesOf(limit);
      places.leases.values().removeIf(lease -> !lease.until().isAfter(now));
      while (!places.marks.isEmpty() && !places.marks.peekFirst().isAfter(now)) {
        places.marks.removeFirst();
      }
      if (places.heldBackUntil != null && places.heldBackUntil.isAfter(now)) {
        return Optional.of(new Refusal(limit.key(), places.heldBackUntil));
      }
      if (limit.limitsConcurrency() && places.leases.size() >= limit.maxConcurrency()) {
        return Optional.of(new Refusal(limit.key(), null));
      }
      if (limit.limitsRate() && places.marks.size() >= limit.ratePermits()) {
        return Optional.of(new Refusal(limit.key(), places.marks.peekFirst()));
      }
    }
    for (Limit limit : limits) {
      Places places = placesOf(limit);
      if (limit.limitsConcurrency()) {
        places.leases.put(holder, new Lease(owner, leaseUntil));
      }
      if (limit.limitsRate()) {
        places.marks.addLast(now.plus(limit.ratePeriod()));
      }
    }
    return Optional.empty();
  }

  @Override
  public synchronized void giveBack(List<Limit> limits, String holder) {
    for (Limit limit : limits) {
      placesOf(limit).leases.remove(holder);
    }
  }

  @Override
  public synchronized void renew(
      String owner, Collection<String> holders, Instant now, Instant leaseUntil) {
    for (Places places : byLimit.values()) {
      places.leases.replaceAll(
          (holder, lease) ->
              holders.contains(holder) && lease.owner().equals(owner) && lease.until().isAfter(now)
                  ? new Lease(owner, leaseUntil)
                  : lease);
    }
  }

  @Override
  public synchronized void expireOtherOwners(String owner) {
    for (Places places : byLimit.values()) {
      places.leases.values().removeIf(lease -> !lease.owner().equals(owner));
    }
  }

  @Override
  public synchronized void holdBack(Limit limit, Instant until) {
    Places places = placesOf(limit);
    if (places.heldBackUntil == null || places.heldBackUntil.isBefore(until)) {
      places.heldBackUntil = until;
    }
  }

  @Override
  public synchronized void refused(ThreadId thread, String limit, Instant now) {
    waits.putIfAbsent(thread, new Wait(limit, now));
  }

  @Override
  public synchronized Optional<Wait> waitEnded(ThreadId thread) {
    return Optional.ofNullable(waits.remove(thread));
  }

  private Places placesOf(Limit limit) {
    return byLimit.computeIfAbsent(limit.key(), key -> new Places());
  }
}
