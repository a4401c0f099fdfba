package io.orchestro.threads.application.testing;

import io.orchestro.threads.application.port.out.ScheduleStore;
import io.orchestro.threads.domain.Schedule;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/** Schedules in memory, with the claims of the real stores (the contract tests run on it too). */
public final class InMemoryScheduleStore implements ScheduleStore {

  private record Claim(String owner, Instant until) {}

  private final Map<String, Schedule> byName = new TreeMap<>();
  private final Map<String, Claim> claims = new HashMap<>();

  @Override
  public synchronized Optional<Schedule> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  @Override
  public synchronized List<Schedule> list() {
    return List.copyOf(byName.values());
  }

  @Override
  public synchronized boolean put(Schedule schedule) {
    return byName.put(schedule.name(), schedule) == null;
  }

  @Override
  public synchronized boolean delete(String name) {
    claims.remove(name);
    return byName.remove(name) != null;
  }

  @Override
  public synchronized List<Schedule> claimDue(
      String owner, Instant now, Instant leaseUntil, int limit) {
    List<Schedule> due =
        byName.values().stream()
            .filter(s -> s.enabled() && s.nextRunAt() != null && !s.nextRunAt().isAfter(now))
            .filter(s -> !heldAt(s.name(), now))
            .sorted(Comparator.comparing(Schedule::nextRunAt))
            .limit(limit)
            .toList();
    due.forEach(s -> claims.put(s.name(), new Claim(owner, leaseUntil)));
    return due;
  }

  @Override
  public synchronized void fired(String name, String owner, Instant dueAt, Instant nextRunAt) {
    Claim claim = claims.get(name);
    Schedule schedule = byName.get(name);
    if (claim == null || !claim.owner().equals(owner) || schedule == null) {
      return;
    }
    claims.remove(name);
    boolean unchanged = Objects.equals(schedule.nextRunAt(), dueAt) && schedule.enabled();
    byName.put(name, schedule.withRuns(unchanged ? nextRunAt : schedule.nextRunAt(), dueAt));
  }

  /** Whether a node holds the schedule's claim at {@code now}. */
  private boolean heldAt(String name, Instant now) {
    Claim claim = claims.get(name);
    return claim != null && claim.until().isAfter(now);
  }
}
