package io.orchestro.threads.domain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * What the client asked for when it created a thread, exactly as given (absent values are null). It
 * is kept so that creating the same client-chosen id again can be compared with the first request.
 *
 * @param input extra inputs, an empty map when none were given
 * @param priority higher runs first ({@link #MIN_PRIORITY} to {@link #MAX_PRIORITY}), or null for
 *     the default, 0
 * @param startAt the thread stays pending until then, or null to start at once
 */
public record ThreadRequest(
    String prompt,
    String workflowType,
    String title,
    Map<String, Object> input,
    Integer priority,
    Instant startAt) {

  public static final int TITLE_PROMPT_CHARS = 30;
  public static final int MIN_PRIORITY = -100;
  public static final int MAX_PRIORITY = 100;

  public ThreadRequest {
    input = input == null ? Map.of() : JsonValues.copyOf(input);
    if ((prompt == null || prompt.isBlank()) && input.isEmpty()) {
      throw new IllegalArgumentException("a prompt is required unless input is given");
    }
    // the API's times are to the millisecond: a stored request compares equal to a repeated one
    startAt = startAt == null ? null : startAt.truncatedTo(ChronoUnit.MILLIS);
    if (priority != null && (priority < MIN_PRIORITY || priority > MAX_PRIORITY)) {
      throw new IllegalArgumentException(
          "priority must be from " + MIN_PRIORITY + " to " + MAX_PRIORITY);
    }
  }

  /** A request that leaves priority and start time at their defaults. */
  public ThreadRequest(
      String prompt, String workflowType, String title, Map<String, Object> input) {
    this(prompt, workflowType, title, input, null, null);
  }

  /** The priority the engine claims by: the one given, else 0. */
  public int effectivePriority() {
    return priority == null ? 0 : priority;
  }

  /** The thread's input as agents and clients see it: the extra inputs plus the prompt. */
  public Map<String, Object> threadInput() {
    if (prompt == null) {
      return input;
    }
    var merged = new java.util.LinkedHashMap<String, Object>();
    merged.put("prompt", prompt);
    input.forEach((key, value) -> merged.putIfAbsent(key, value));
    return java.util.Collections.unmodifiableMap(merged);
  }

  /** The title given, or {@code Workflow - } and the start of the prompt (or the workflow type). */
  public String titleFor(String resolvedWorkflowType) {
    if (title != null && !title.isBlank()) {
      return title;
    }
    if (prompt == null || prompt.isBlank()) {
      return "Workflow - " + resolvedWorkflowType;
    }
    // characters, not UTF-16 units: an emoji counts once and is never cut in half
    if (prompt.codePointCount(0, prompt.length()) <= TITLE_PROMPT_CHARS) {
      return "Workflow - " + prompt;
    }
    return "Workflow - "
        + prompt.substring(0, prompt.offsetByCodePoints(0, TITLE_PROMPT_CHARS))
        + "...";
  }
}
