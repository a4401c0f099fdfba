package io.orchestro.threads.domain;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A cron schedule that creates one thread per due time (docs/api.md "Scheduling, priority and
 * limits"). Its definition is what the client put; {@code nextRunAt} and {@code lastRunAt} are kept
 * by the store as the schedule fires.
 *
 * @param cron six fields: second, minute, hour, day of month, month, day of week
 * @param zone the time zone the cron fields are read in
 * @param input extra inputs for each thread, an empty map when none
 * @param nextRunAt the next due time, or null while disabled
 * @param lastRunAt the due time of the last thread created, or null
 */
public record Schedule(
    String name,
    String cron,
    ZoneId zone,
    String workflowType,
    String prompt,
    Map<String, Object> input,
    boolean enabled,
    Instant nextRunAt,
    Instant lastRunAt) {

  /** Names go into URLs and thread ids: letters, digits, dot, dash and underscore. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  public Schedule {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "a schedule name is 1 to 128 letters, digits, '.', '-' or '_'");
    }
    if (cron == null || cron.isBlank()) {
      throw new IllegalArgumentException("cron is required");
    }
    Objects.requireNonNull(zone, "zone");
    if (workflowType == null || workflowType.isBlank()) {
      throw new IllegalArgumentException("workflow_type is required");
    }
    input = input == null ? Map.of() : JsonValues.copyOf(input);
    // the same rule as a thread's: each run's request must be one a client could have sent
    new ThreadRequest(prompt, workflowType, null, input);
  }

  /** The zone named, or an IllegalArgumentException that says what a zone looks like. */
  public static ZoneId zone(String name) {
    try {
      return ZoneId.of(name == null ? "UTC" : name);
    } catch (DateTimeException unknown) {
      throw new IllegalArgumentException(
          "zone must be a time zone id such as Europe/Paris or UTC, not '" + name + "'");
    }
  }

  /**
   * The id of the thread created for the due time: the same on every node and after any restart, so
   * that a due time that two nodes (or a node and its restart) both handle creates one thread.
   */
  public ThreadId threadIdFor(Instant dueAt) {
    String key = "schedule:" + name + ":" + dueAt.toEpochMilli();
    return new ThreadId(UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)));
  }

  /** The request of the thread created for a due time: the schedule's, starting at that time. */
  public ThreadRequest requestFor(Instant dueAt) {
    return new ThreadRequest(
        prompt, workflowType, "Schedule " + name + " - " + UtcTimestamp.format(dueAt), input);
  }

  /** The same definition with the store's bookkeeping replaced. */
  public Schedule withRuns(Instant next, Instant last) {
    return new Schedule(name, cron, zone, workflowType, prompt, input, enabled, next, last);
  }
}
