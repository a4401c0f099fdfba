package io.orchestro.threads.adapters.persistence.json;

import static io.orchestro.threads.adapters.persistence.StoredJson.array;
import static io.orchestro.threads.adapters.persistence.StoredJson.element;
import static io.orchestro.threads.adapters.persistence.StoredJson.optionalObject;
import static io.orchestro.threads.adapters.persistence.StoredJson.optionalText;
import static io.orchestro.threads.adapters.persistence.StoredJson.optionalTime;
import static io.orchestro.threads.adapters.persistence.StoredJson.text;
import static io.orchestro.threads.adapters.persistence.StoredJson.time;

import io.orchestro.threads.adapters.persistence.JsonText;
import io.orchestro.threads.application.port.out.ScheduleStore;
import io.orchestro.threads.domain.Schedule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Schedules in one JSON file ({@code schedules.json}), replaced atomically at every change under
 * the store's one writer lock; reads come from memory. The JSON store is single-node, so the claims
 * of firing live in memory only: after a restart nobody holds a schedule, as it should be.
 */
public final class JsonFileScheduleStore implements ScheduleStore {

  static final String FILE = "schedules.json";

  private record Claim(String owner, Instant until) {}

  private final Path file;
  private final SerialWrites writes;
  private final TreeMap<String, Schedule> byName = new TreeMap<>();
  private final Map<String, Claim> claims = new LinkedHashMap<>();

  JsonFileScheduleStore(Path directory, SerialWrites writes) {
    this.file = directory.resolve(FILE);
    this.writes = writes;
    if (Files.exists(file)) {
      try {
        for (Object each : array(JsonText.parseObject(Files.readAllBytes(file)), "schedules")) {
          Schedule schedule = read(element(each, "a schedule"));
          byName.put(schedule.name(), schedule);
        }
      } catch (IOException unreadable) {
        throw new UncheckedIOException("could not read " + file, unreadable);
      }
    }
  }

  @Override
  public Optional<Schedule> find(String name) {
    return writes.run(() -> Optional.ofNullable(byName.get(name)));
  }

  @Override
  public List<Schedule> list() {
    return writes.run(() -> List.copyOf(byName.values()));
  }

  @Override
  public boolean put(Schedule schedule) {
    return writes.run(
        () -> {
          Schedule old = byName.put(schedule.name(), schedule);
          writeOrUndo(schedule.name(), old);
          return old == null;
        });
  }

  @Override
  public boolean delete(String name) {
    return writes.run(
        () -> {
          Schedule old = byName.remove(name);
          if (old == null) {
            return false;
          }
          writeOrUndo(name, old);
          claims.remove(name);
          return true;
        });
  }

  @Override
  public List<Schedule> claimDue(String owner, Instant now, Instant leaseUntil, int limit) {
    return writes.run(
        () -> {
          List<Schedule> due =
              byName.values().stream()
                  .filter(s -> s.enabled() && s.nextRunAt() != null && !s.nextRunAt().isAfter(now))
                  .filter(s -> !heldAt(s.name(), now))
                  .sorted((a, b) -> a.nextRunAt().compareTo(b.nextRunAt()))
                  .limit(limit)
                  .toList();
          due.forEach(s -> claims.put(s.name(), new Claim(owner, leaseUntil)));
          return due;
        });
  }

  @Override
  public void fired(String name, String owner, Instant dueAt, Instant nextRunAt) {
    writes.run(
        () -> {
          Claim claim = claims.get(name);
          Schedule old = byName.get(name);
          if (claim == null || !claim.owner().equals(owner) || old == null) {
            return null;
          }
          claims.remove(name);
          Instant next =
              Objects.equals(old.nextRunAt(), dueAt) && old.enabled() ? nextRunAt : old.nextRunAt();
          byName.put(name, old.withRuns(next, dueAt));
          writeOrUndo(name, old);
          return null;
        });
  }

  /** Writes every schedule; when the write fails, puts back what {@code name} was. */
  private void writeOrUndo(String name, Schedule old) {
    List<Map<String, Object>> all = new ArrayList<>();
    byName.values().forEach(schedule -> all.add(json(schedule)));
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("schedules", all);
    try {
      AtomicFiles.replace(file, JsonText.pretty(document));
    } catch (RuntimeException failed) {
      if (old == null) {
        byName.remove(name);
      } else {
        byName.put(name, old);
      }
      throw failed;
    }
  }

  private static Map<String, Object> json(Schedule schedule) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", schedule.name());
    json.put("cron", schedule.cron());
    json.put("zone", schedule.zone().getId());
    json.put("workflow_type", schedule.workflowType());
    json.put("prompt", schedule.prompt());
    json.put("input", schedule.input());
    json.put("enabled", schedule.enabled());
    json.put("next_run_at", time(schedule.nextRunAt()));
    json.put("last_run_at", time(schedule.lastRunAt()));
    return json;
  }

  private static Schedule read(Map<String, Object> json) {
    return new Schedule(
        text(json, "name"),
        text(json, "cron"),
        ZoneId.of(text(json, "zone")),
        text(json, "workflow_type"),
        optionalText(json, "prompt"),
        optionalObject(json, "input"),
        Boolean.TRUE.equals(json.get("enabled")),
        optionalTime(json, "next_run_at"),
        optionalTime(json, "last_run_at"));
  }

  /** Whether a node holds the schedule's claim at {@code now}. */
  private boolean heldAt(String name, Instant now) {
    Claim claim = claims.get(name);
    return claim != null && claim.until().isAfter(now);
  }
}
