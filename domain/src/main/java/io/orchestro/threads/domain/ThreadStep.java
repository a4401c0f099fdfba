package io.orchestro.threads.domain;

import java.time.Instant;
import java.util.Map;

/**
 * The state of one step of a thread.
 *
 * @param attempts every attempt ever made at this step, across restarts and retries
 * @param failures failed attempts in the current run of the step (reset by a retry of the thread);
 *     an attempt cut short by a crash is not a failure
 * @param output what the agent returned, or null
 * @param error the last attempt's error, or null
 * @param dueAt for a running step, the time its parked attempt asked to be resumed (it waits for
 *     that without a worker: a long delay, an outside worker's task); for a pending step, the
 *     earliest time its next attempt may start (a callee's {@code Retry-After}); else null
 */
public record ThreadStep(
    String name,
    String agent,
    StepStatus status,
    int attempts,
    int failures,
    Instant startedAt,
    Instant finishedAt,
    Map<String, Object> output,
    String error,
    Instant dueAt) {

  public ThreadStep {
    if (name == null || agent == null || status == null) {
      throw new IllegalArgumentException("a step needs a name, an agent and a status");
    }
    if (attempts < 0 || failures < 0 || failures > attempts) {
      throw new IllegalArgumentException("step " + name + " has impossible attempt counts");
    }
    output = output == null ? null : JsonValues.copyOf(output);
  }

  /** A step with no due time. */
  public ThreadStep(
      String name,
      String agent,
      StepStatus status,
      int attempts,
      int failures,
      Instant startedAt,
      Instant finishedAt,
      Map<String, Object> output,
      String error) {
    this(name, agent, status, attempts, failures, startedAt, finishedAt, output, error, null);
  }

  /** True for a running step whose attempt waits, without a worker, until {@link #dueAt}. */
  public boolean isParked() {
    return status == StepStatus.RUNNING && dueAt != null;
  }

  /**
   * When this step's next attempt may start: after its retry policy's backoff since its last failed
   * attempt, and not before the time its callee asked for ({@link #dueAt}). Null when it may start
   * at once.
   *
   * @param retry the retry policy of the step's definition
   */
  public Instant nextAttemptNotBefore(RetryPolicy retry) {
    if (failures == 0 || finishedAt == null) {
      return dueAt;
    }
    Instant backoffEnds = finishedAt.plus(retry.backoffAfter(failures));
    return dueAt != null && dueAt.isAfter(backoffEnds) ? dueAt : backoffEnds;
  }

  static ThreadStep pending(StepDefinition definition) {
    return new ThreadStep(
        definition.name(), definition.agent(), StepStatus.PENDING, 0, 0, null, null, null, null);
  }

  ThreadStep started(Instant now) {
    return new ThreadStep(
        name, agent, StepStatus.RUNNING, attempts + 1, failures, now, null, null, null);
  }

  ThreadStep completed(Map<String, Object> result, Instant now) {
    return new ThreadStep(
        name, agent, StepStatus.COMPLETED, attempts, failures, startedAt, now, result, null);
  }

  /** The attempt in flight waits until {@code until} without a worker. */
  ThreadStep parked(Instant until) {
    return new ThreadStep(
        name, agent, StepStatus.RUNNING, attempts, failures, startedAt, null, null, null, until);
  }

  /**
   * A failed attempt; the step waits for its next attempt unless {@code finalFailure}.
   *
   * @param notBefore the earliest time of the next attempt, or null
   */
  ThreadStep failed(String message, boolean finalFailure, Instant now, Instant notBefore) {
    StepStatus next = finalFailure ? StepStatus.FAILED : StepStatus.PENDING;
    return new ThreadStep(
        name,
        agent,
        next,
        attempts,
        failures + 1,
        startedAt,
        now,
        null,
        message,
        finalFailure ? null : notBefore);
  }

  /** Back to pending after an attempt that was cut short (a crash, a lost claim): not a failure. */
  ThreadStep interrupted() {
    return new ThreadStep(
        name, agent, StepStatus.PENDING, attempts, failures, startedAt, null, null, null);
  }

  /** Pending again with a fresh failure budget, for a retry of the thread. */
  ThreadStep retried() {
    return new ThreadStep(
        name, agent, StepStatus.PENDING, attempts, 0, startedAt, null, null, error);
  }
}
