package io.orchestro.threads.domain;

import java.util.Map;

/**
 * What the client asked for when it created a thread, exactly as given (absent values are null). It
 * is kept so that creating the same client-chosen id again can be compared with the first request.
 *
 * @param input extra inputs, an empty map when none were given
 */
public record ThreadRequest(
    String prompt, String workflowType, String title, Map<String, Object> input) {

  public static final int TITLE_PROMPT_CHARS = 30;

  public ThreadRequest {
    input = input == null ? Map.of() : JsonValues.copyOf(input);
    if ((prompt == null || prompt.isBlank()) && input.isEmpty()) {
      throw new IllegalArgumentException("a prompt is required unless input is given");
    }
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
