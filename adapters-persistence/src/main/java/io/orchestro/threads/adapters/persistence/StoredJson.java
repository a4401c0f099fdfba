package io.orchestro.threads.adapters.persistence;

import io.orchestro.threads.domain.RetryPolicy;
import io.orchestro.threads.domain.StepDefinition;
import io.orchestro.threads.domain.StepStatus;
import io.orchestro.threads.domain.ThreadRequest;
import io.orchestro.threads.domain.ThreadStep;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The JSON shapes that both stores keep: a thread's request, a thread's steps, a workflow
 * definition's steps, and times. The JSON files and the database's JSON columns hold them alike, so
 * that a thread moved between stores is read back field for field. Fields have the API's names, in
 * the order the API shows them. {@link JsonText} turns these values into text and back.
 *
 * <p>Values here are JSON read untyped: maps, lists, strings, numbers (Integer, Long or BigInteger,
 * and Double), booleans and nulls. The readers are strict: each throws an IllegalArgumentException
 * naming the field that has the wrong shape. The JSON store tells a damaged file by that exception
 * and quarantines it with the message as the reason; the database's columns are always well-formed,
 * so there the checks never fire.
 *
 * <p>Public only because the two stores live in sub-packages of this one.
 */
public final class StoredJson {

  private StoredJson() {}

  // ---- shapes ----

  public static Map<String, Object> requestJson(ThreadRequest request) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("prompt", request.prompt());
    json.put("workflow_type", request.workflowType());
    json.put("title", request.title());
    json.put("input", request.input());
    // only when given, so that requests stored before these fields existed read the same
    if (request.priority() != null) {
      json.put("priority", request.priority());
    }
    if (request.startAt() != null) {
      json.put("start_at", time(request.startAt()));
    }
    return json;
  }

  public static ThreadRequest request(Map<String, Object> json) {
    return new ThreadRequest(
        optionalText(json, "prompt"),
        optionalText(json, "workflow_type"),
        optionalText(json, "title"),
        optionalObject(json, "input"),
        json.get("priority") == null ? null : integer(json, "priority"),
        optionalTime(json, "start_at"));
  }

  public static Map<String, Object> threadStepJson(ThreadStep step) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", step.name());
    json.put("agent", step.agent());
    json.put("status", step.status().wireName());
    json.put("attempts", step.attempts());
    json.put("failures", step.failures());
    json.put("started_at", time(step.startedAt()));
    json.put("finished_at", time(step.finishedAt()));
    json.put("output", step.output());
    json.put("error", step.error());
    if (step.dueAt() != null) {
      json.put("due_at", time(step.dueAt()));
    }
    return json;
  }

  public static ThreadStep threadStep(Map<String, Object> json) {
    return new ThreadStep(
        text(json, "name"),
        text(json, "agent"),
        StepStatus.fromWireName(text(json, "status")),
        integer(json, "attempts"),
        integer(json, "failures"),
        optionalTime(json, "started_at"),
        optionalTime(json, "finished_at"),
        optionalObject(json, "output"),
        optionalText(json, "error"),
        optionalTime(json, "due_at"));
  }

  public static Map<String, Object> stepDefinitionJson(StepDefinition step) {
    Map<String, Object> retry = new LinkedHashMap<>();
    retry.put("max_attempts", step.retry().maxAttempts());
    retry.put("backoff_millis", step.retry().backoffMillis());
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", step.name());
    json.put("agent", step.agent());
    json.put("config", step.config());
    json.put("retry", retry);
    json.put("timeout_millis", step.timeoutMillis());
    return json;
  }

  public static StepDefinition stepDefinition(Map<String, Object> json) {
    Map<String, Object> retry = optionalObject(json, "retry");
    return new StepDefinition(
        text(json, "name"),
        text(json, "agent"),
        optionalObject(json, "config"),
        retry == null
            ? null
            : new RetryPolicy(integer(retry, "max_attempts"), whole(retry, "backoff_millis")),
        optionalWhole(json, "timeout_millis"));
  }

  /**
   * Reads each step of a thread or a definition with {@code reader}; a step with the wrong shape is
   * named by its place ("step 2: 'name' is missing").
   */
  public static <T> List<T> steps(List<?> steps, Function<Map<String, Object>, T> reader) {
    List<T> read = new ArrayList<>(steps.size());
    for (int i = 0; i < steps.size(); i++) {
      try {
        read.add(reader.apply(element(steps.get(i), "a step")));
      } catch (IllegalArgumentException wrong) {
        throw new IllegalArgumentException("step " + (i + 1) + ": " + wrong.getMessage());
      }
    }
    return read;
  }

  // ---- times ----

  /**
   * Times as ISO-8601 text ({@link Instant#toString()}), cut to microseconds: both databases keep
   * microseconds, so a thread moved between the JSON store and a database keeps exactly the same
   * times.
   */
  public static String time(Instant instant) {
    return instant == null ? null : micros(instant).toString();
  }

  /**
   * A time as the stores keep it, in JSON and in database columns alike; see {@link
   * #time(Instant)}. Cutting finer digits off before a write makes the thread that the write
   * returns equal to the one a later read returns.
   */
  public static Instant micros(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
  }

  // ---- typed access; each throws IllegalArgumentException naming the field ----

  public static String text(Map<String, Object> json, String field) {
    return present(optionalText(json, field), field);
  }

  /** Text, or null when the field is null or absent. */
  public static String optionalText(Map<String, Object> json, String field) {
    Object value = json.get(field);
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw new IllegalArgumentException("'" + field + "' must be text");
  }

  public static int integer(Map<String, Object> json, String field) {
    Object value = json.get(field);
    if (value instanceof Integer number) {
      return number;
    }
    throw new IllegalArgumentException("'" + field + "' must be a whole number");
  }

  public static long whole(Map<String, Object> json, String field) {
    Object value = json.get(field);
    if (value instanceof Integer || value instanceof Long) {
      return ((Number) value).longValue();
    }
    throw new IllegalArgumentException("'" + field + "' must be a whole number");
  }

  /** A whole number, or null when the field is null or absent. */
  public static Long optionalWhole(Map<String, Object> json, String field) {
    return json.get(field) == null ? null : whole(json, field);
  }

  public static Instant time(Map<String, Object> json, String field) {
    return present(optionalTime(json, field), field);
  }

  /** An ISO-8601 time, or null when the field is null or absent. */
  public static Instant optionalTime(Map<String, Object> json, String field) {
    String text = optionalText(json, field);
    try {
      return text == null ? null : Instant.parse(text);
    } catch (DateTimeParseException notATime) {
      throw new IllegalArgumentException(
          "'" + field + "' must be an ISO-8601 time like 2026-11-28T10:00:00.123Z");
    }
  }

  public static Map<String, Object> object(Map<String, Object> json, String field) {
    return present(optionalObject(json, field), field);
  }

  /** A nested object, or null when the field is null or absent. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> optionalObject(Map<String, Object> json, String field) {
    Object value = json.get(field);
    if (value == null || value instanceof Map) {
      return (Map<String, Object>) value;
    }
    throw new IllegalArgumentException("'" + field + "' must be an object");
  }

  /** An array, empty when the field is null or absent. */
  public static List<?> array(Map<String, Object> json, String field) {
    Object value = json.get(field);
    if (value == null) {
      return List.of();
    }
    if (value instanceof List<?> list) {
      return list;
    }
    throw new IllegalArgumentException("'" + field + "' must be an array");
  }

  /** An element of an array that must be an object. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> element(Object value, String what) {
    if (value instanceof Map) {
      return (Map<String, Object>) value;
    }
    throw new IllegalArgumentException(what + " must be an object");
  }

  private static <T> T present(T value, String field) {
    if (value == null) {
      throw new IllegalArgumentException("'" + field + "' is missing");
    }
    return value;
  }
}
