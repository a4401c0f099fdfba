package io.orchestro.threads.application.port.out;

import io.orchestro.threads.domain.ThreadId;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What an agent gets for one attempt at a step.
 *
 * @param input the thread's input (with its prompt under {@code prompt})
 * @param stepOutputs the outputs of the steps completed before, by step name
 * @param attempt this attempt's number: every attempt ever made at the step, this one included
 * @param progress where the agent may report how far it has come within the step
 * @param dueAt when this attempt was parked ({@link AttemptParkedException}) and is now resumed,
 *     the time it asked for; null on the attempt's first call. A resumed attempt may be woken
 *     before that time.
 */
public record StepContext(
    ThreadId threadId,
    String stepName,
    Map<String, Object> config,
    Map<String, Object> input,
    Map<String, Map<String, Object>> stepOutputs,
    int attempt,
    Cancellation cancellation,
    Consumer<String> progress,
    Instant dueAt) {

  /** An attempt's first call. */
  public StepContext(
      ThreadId threadId,
      String stepName,
      Map<String, Object> config,
      Map<String, Object> input,
      Map<String, Map<String, Object>> stepOutputs,
      int attempt,
      Cancellation cancellation,
      Consumer<String> progress) {
    this(threadId, stepName, config, input, stepOutputs, attempt, cancellation, progress, null);
  }

  /** A key that stays the same for this attempt, to pass on to whatever the agent calls. */
  public String idempotencyKey() {
    return threadId + ":" + stepName + ":" + attempt;
  }
}
