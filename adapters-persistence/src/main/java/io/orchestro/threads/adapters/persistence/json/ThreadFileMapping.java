package io.orchestro.threads.adapters.persistence.json;

import static io.orchestro.threads.adapters.persistence.StoredJson.array;
import static io.orchestro.threads.adapters.persistence.StoredJson.element;
import static io.orchestro.threads.adapters.persistence.StoredJson.integer;
import static io.orchestro.threads.adapters.persistence.StoredJson.object;
import static io.orchestro.threads.adapters.persistence.StoredJson.optionalText;
import static io.orchestro.threads.adapters.persistence.StoredJson.optionalTime;
import static io.orchestro.threads.adapters.persistence.StoredJson.optionalWhole;
import static io.orchestro.threads.adapters.persistence.StoredJson.request;
import static io.orchestro.threads.adapters.persistence.StoredJson.requestJson;
import static io.orchestro.threads.adapters.persistence.StoredJson.text;
import static io.orchestro.threads.adapters.persistence.StoredJson.time;
import static io.orchestro.threads.adapters.persistence.StoredJson.whole;

import io.orchestro.threads.adapters.persistence.JsonText;
import io.orchestro.threads.adapters.persistence.StoredJson;
import io.orchestro.threads.domain.Caller;
import io.orchestro.threads.domain.EventJson;
import io.orchestro.threads.domain.LoggedEvent;
import io.orchestro.threads.domain.Progress;
import io.orchestro.threads.domain.ThreadEvent;
import io.orchestro.threads.domain.ThreadEventType;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadSnapshot;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.ThreadStep;
import io.orchestro.threads.domain.WorkflowThread;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Thread files and event lines to JSON and back, with the API's field names, in the order the API
 * shows them. A thread file ({@code threads/<thread_id>.json}) holds:
 *
 * <ul>
 *   <li>the thread: {@code thread_id}, {@code owner} ... {@code finished_at}, {@code request},
 *       {@code steps} (a file without {@code owner}, written before threads had owners, is the
 *       local owner's);
 *   <li>{@code version}: the optimistic-locking count of saved changes;
 *   <li>{@code claim_owner}, {@code claim_until}: the engine's claim;
 *   <li>{@code log_generation}: which lines of the thread's step log ({@link StepLogs}) continue
 *       this file; absent (0) in files written before there were step logs, which have none;
 *   <li>{@code last_write_events}: the events recorded by the write that produced the file. The
 *       file is the write's commit point; these are appended to the event log right after it, and
 *       again at start-up if a crash came in between.
 * </ul>
 *
 * <p>A thread being deleted is, for a moment, a tombstone: {@code thread_id}, {@code "deleted":
 * true} and the deletion's {@code last_write_events}.
 *
 * <p>A line of a step log ({@link #stepLogJson}) holds what one write changed: {@code generation}
 * (the thread file's {@code log_generation} it continues), the thread's fields that a write may
 * change ({@code status} ... {@code claim_until}), {@code steps} with only the steps it changed, by
 * their place ({@code {"3": {...}}}), and its {@code last_write_events}.
 */
final class ThreadFileMapping {

  private static final String FILE_SUFFIX = ".json";

  private ThreadFileMapping() {}

  /**
   * What a thread file holds.
   *
   * @param thread the thread, or null for a tombstone
   */
  record ThreadFile(
      ThreadId id, StoredThread thread, long logGeneration, List<LoggedEvent> lastWriteEvents) {

    boolean isTombstone() {
      return thread == null;
    }
  }

  static String fileName(ThreadId id) {
    return id + FILE_SUFFIX;
  }

  /** The id a file name stands for, or null when it is not {@code <thread_id>.json}. */
  static ThreadId idOfFileName(String name) {
    if (!name.endsWith(FILE_SUFFIX)) {
      return null;
    }
    String id = name.substring(0, name.length() - FILE_SUFFIX.length());
    try {
      ThreadId parsed = ThreadId.parse(id);
      // UUID.fromString also takes "1-2-3-4-5" and upper case; only the canonical form is a name
      return parsed.toString().equals(id) ? parsed : null;
    } catch (IllegalArgumentException notAnId) {
      return null;
    }
  }

  /** A thread file that no step log continues. */
  static byte[] threadFile(StoredThread thread, List<LoggedEvent> lastWriteEvents) {
    return threadFile(thread, 0, lastWriteEvents);
  }

  static byte[] threadFile(
      StoredThread thread, long logGeneration, List<LoggedEvent> lastWriteEvents) {
    ThreadSnapshot snapshot = thread.snapshot();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("thread_id", snapshot.id().toString());
    json.put("owner", snapshot.owner());
    json.put("title", snapshot.title());
    json.put("workflow_type", snapshot.workflowType());
    json.put("workflow_version", snapshot.workflowVersion());
    json.put("status", snapshot.status().wireName());
    json.put("error_message", snapshot.errorMessage());
    json.put("created_at", time(snapshot.createdAt()));
    json.put("start_time", time(snapshot.startTime()));
    json.put("last_updated", time(snapshot.lastUpdated()));
    json.put("finished_at", time(snapshot.finishedAt()));
    json.put("request", requestJson(snapshot.request()));
    json.put("steps", snapshot.steps().stream().map(StoredJson::threadStepJson).toList());
    json.put("version", snapshot.version());
    json.put("claim_owner", thread.claimOwner());
    json.put("claim_until", time(thread.claimUntil()));
    if (logGeneration != 0) {
      json.put("log_generation", logGeneration);
    }
    json.put("last_write_events", eventsJson(lastWriteEvents));
    return JsonText.pretty(json);
  }

  /**
   * The fields a write may change besides the steps, as a step log line holds them: the thread's
   * title, request and the like never change once it is created.
   */
  private static Map<String, Object> changeableFields(StoredThread thread) {
    ThreadSnapshot snapshot = thread.snapshot();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("status", snapshot.status().wireName());
    json.put("error_message", snapshot.errorMessage());
    json.put("start_time", time(snapshot.startTime()));
    json.put("last_updated", time(snapshot.lastUpdated()));
    json.put("finished_at", time(snapshot.finishedAt()));
    json.put("version", snapshot.version());
    json.put("claim_owner", thread.claimOwner());
    json.put("claim_until", time(thread.claimUntil()));
    return json;
  }

  /**
   * The places of the steps, among {@code candidates}, whose JSON differs between the two; the JSON
   * decides, as the columns do for the database (times cut to microseconds, say).
   */
  static SortedSet<Integer> changedSteps(
      StoredThread stored, StoredThread next, Collection<Integer> candidates) {
    SortedSet<Integer> changed = new TreeSet<>();
    List<ThreadStep> before = stored.snapshot().steps();
    List<ThreadStep> after = next.snapshot().steps();
    for (int place : candidates) {
      ThreadStep old = before.get(place);
      ThreadStep now = after.get(place);
      // a step's status, attempts and failures are written as they are: when one of them differs
      // the JSON does too, and the common case (a step started or finished) needs no JSON at all
      if (old.status() != now.status()
          || old.attempts() != now.attempts()
          || old.failures() != now.failures()) {
        changed.add(place);
      } else if (!old.equals(now)
          && !Arrays.equals(
              JsonText.compact(StoredJson.threadStepJson(old)),
              JsonText.compact(StoredJson.threadStepJson(now)))) {
        changed.add(place);
      }
    }
    return changed;
  }

  /** True when the fields besides the steps read the same as JSON. */
  static boolean sameChangeableFields(StoredThread stored, StoredThread next) {
    return changeableFields(stored).equals(changeableFields(next));
  }

  /**
   * One line of a thread's step log (without its line end): what a write changed, continuing the
   * thread file of {@code generation}.
   */
  static Map<String, Object> stepLogJson(
      long generation,
      StoredThread next,
      Collection<Integer> changedSteps,
      List<LoggedEvent> lastWriteEvents) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("generation", generation);
    json.putAll(changeableFields(next));
    Map<String, Object> steps = new LinkedHashMap<>();
    for (int place : changedSteps) {
      steps.put(
          Integer.toString(place), StoredJson.threadStepJson(next.snapshot().steps().get(place)));
    }
    json.put("steps", steps);
    json.put("last_write_events", eventsJson(lastWriteEvents));
    return json;
  }

  /**
   * The thread after a step log line this process has just built ({@link #stepLogJson}), as {@link
   * #apply} would give it from the line's text, without parsing the line back: every field of the
   * line is already text or a whole number as parsing gives them, except the steps' outputs, which
   * are made so ({@link #asParsed}).
   */
  static StoredThread applyBuilt(StoredThread thread, Map<String, Object> line) {
    Map<String, Object> steps = new LinkedHashMap<>();
    object(line, "steps")
        .forEach(
            (place, value) -> {
              Map<String, Object> step = new LinkedHashMap<>(element(value, "a step"));
              step.put("output", asParsed(step.get("output")));
              steps.put(place, step);
            });
    Map<String, Object> parsedLine = new LinkedHashMap<>(line);
    parsedLine.put("steps", steps);
    return apply(thread, parsedLine);
  }

  /**
   * A value as parsing its compact JSON gives it back (whole numbers as Integer when they fit,
   * objects and arrays as maps and lists): an agent's output may hold a Long or another type that
   * JSON turns into something else, and the thread a write returns must be the one a restart reads.
   * Values of other types than these go through the JSON text itself.
   */
  static Object asParsed(Object value) {
    return isPlain(value) ? plainAsParsed(value) : JsonText.parseObject(JsonText.compact(value));
  }

  private static boolean isPlain(Object value) {
    if (value == null
        || value instanceof String
        || value instanceof Integer
        || value instanceof Long
        || value instanceof Boolean) {
      return true;
    }
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (!(entry.getKey() instanceof String) || !isPlain(entry.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (value instanceof List<?> list) {
      for (Object element : list) {
        if (!isPlain(element)) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  private static Object plainAsParsed(Object value) {
    if (value instanceof Long number && number == number.intValue()) {
      return number.intValue();
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((key, each) -> copy.put((String) key, plainAsParsed(each)));
      return copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      list.forEach(each -> copy.add(plainAsParsed(each)));
      return copy;
    }
    return value;
  }

  /** The generation a step log line continues. */
  static long generationOf(Map<String, Object> line) {
    return whole(line, "generation");
  }

  /** The events of the write a step log line holds. */
  static List<LoggedEvent> eventsOf(Map<String, Object> line) {
    List<LoggedEvent> events = new ArrayList<>();
    for (Object event : array(line, "last_write_events")) {
      events.add(event(element(event, "each of 'last_write_events'")));
    }
    return List.copyOf(events);
  }

  /**
   * The thread after the write a step log line holds.
   *
   * @throws IllegalArgumentException when the line is not one of this thread's
   */
  static StoredThread apply(StoredThread thread, Map<String, Object> line) {
    ThreadSnapshot before = thread.snapshot();
    List<ThreadStep> steps = new ArrayList<>(before.steps());
    for (Map.Entry<String, Object> changed : object(line, "steps").entrySet()) {
      int place;
      try {
        place = Integer.parseInt(changed.getKey());
      } catch (NumberFormatException notAPlace) {
        throw new IllegalArgumentException("'steps' must be keyed by the steps' places");
      }
      if (place < 0 || place >= steps.size()) {
        throw new IllegalArgumentException("the thread has no step " + (place + 1));
      }
      steps.set(place, StoredJson.threadStep(element(changed.getValue(), "a step")));
    }
    ThreadSnapshot after =
        new ThreadSnapshot(
            before.id(),
            before.owner(),
            before.title(),
            before.workflowType(),
            before.workflowVersion(),
            before.request(),
            ThreadStatus.fromWireName(text(line, "status")),
            steps,
            optionalText(line, "error_message"),
            before.createdAt(),
            optionalTime(line, "start_time"),
            StoredJson.time(line, "last_updated"),
            optionalTime(line, "finished_at"),
            whole(line, "version"));
    return new StoredThread(
        after, optionalText(line, "claim_owner"), optionalTime(line, "claim_until"));
  }

  static byte[] tombstone(ThreadId id, List<LoggedEvent> lastWriteEvents) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("thread_id", id.toString());
    json.put("deleted", true);
    json.put("last_write_events", eventsJson(lastWriteEvents));
    return JsonText.pretty(json);
  }

  /**
   * @throws IllegalArgumentException when the content is not JSON or not a thread, saying why
   */
  static ThreadFile read(byte[] content) {
    Map<String, Object> json = JsonText.parseObject(content);
    ThreadId id = threadId(json);
    List<LoggedEvent> events = new ArrayList<>();
    for (Object event : array(json, "last_write_events")) {
      events.add(event(element(event, "each of 'last_write_events'")));
    }
    if (Boolean.TRUE.equals(json.get("deleted"))) {
      return new ThreadFile(id, null, 0, List.copyOf(events));
    }
    long version = whole(json, "version");
    if (version < 0) {
      throw new IllegalArgumentException("'version' must not be negative");
    }
    List<ThreadStep> steps = StoredJson.steps(array(json, "steps"), StoredJson::threadStep);
    ThreadSnapshot snapshot =
        new ThreadSnapshot(
            id,
            ownerOf(json),
            text(json, "title"),
            text(json, "workflow_type"),
            integer(json, "workflow_version"),
            request(object(json, "request")),
            ThreadStatus.fromWireName(text(json, "status")),
            steps,
            optionalText(json, "error_message"),
            StoredJson.time(json, "created_at"),
            optionalTime(json, "start_time"),
            StoredJson.time(json, "last_updated"),
            optionalTime(json, "finished_at"),
            version);
    // the aggregate's own checks (no steps, missing values) make a file damaged too
    WorkflowThread.restore(snapshot);
    StoredThread thread =
        new StoredThread(
            snapshot, optionalText(json, "claim_owner"), optionalTime(json, "claim_until"));
    Long logGeneration = optionalWhole(json, "log_generation");
    return new ThreadFile(
        id, thread, logGeneration == null ? 0 : logGeneration, List.copyOf(events));
  }

  /**
   * One line of the event log: the event as the API shows it ({@link EventJson}), and its thread's
   * {@code owner}, which the API does not show. Lines written before the log took that shape have
   * their times with microseconds; they read the same. Lines written before events had owners and
   * actors are the local owner's, caused by the engine.
   */
  static byte[] eventLine(LoggedEvent logged) {
    return JsonText.compact(eventJson(logged));
  }

  private static Map<String, Object> eventJson(LoggedEvent logged) {
    Map<String, Object> json = new LinkedHashMap<>(EventJson.of(logged));
    json.put("owner", logged.event().owner());
    return json;
  }

  private static String ownerOf(Map<String, Object> json) {
    return json.containsKey("owner") ? text(json, "owner") : Caller.LOCAL_OWNER;
  }

  /**
   * @throws IllegalArgumentException when the line is not an event
   */
  static LoggedEvent readEventLine(byte[] line) {
    return event(JsonText.parseObject(line));
  }

  private static ThreadId threadId(Map<String, Object> json) {
    String id = text(json, "thread_id");
    try {
      return ThreadId.parse(id);
    } catch (IllegalArgumentException notAnId) {
      throw new IllegalArgumentException("'thread_id' must be a UUID");
    }
  }

  private static List<Map<String, Object>> eventsJson(List<LoggedEvent> events) {
    return events.stream().map(ThreadFileMapping::eventJson).toList();
  }

  private static LoggedEvent event(Map<String, Object> json) {
    Map<String, Object> progress = object(json, "progress");
    ThreadEvent event =
        new ThreadEvent(
            ThreadEventType.fromWireName(text(json, "type")),
            threadId(json),
            StoredJson.time(json, "at"),
            ThreadStatus.fromWireName(text(json, "status")),
            optionalText(json, "step"),
            new Progress(
                integer(progress, "completed"),
                integer(progress, "total"),
                optionalText(progress, "current_step"),
                integer(progress, "percent")),
            json.get("attempt") == null ? null : integer(json, "attempt"),
            optionalText(json, "detail"),
            ownerOf(json),
            json.containsKey("actor") ? text(json, "actor") : Caller.ENGINE_ACTOR);
    return new LoggedEvent(whole(json, "seq"), event);
  }
}
