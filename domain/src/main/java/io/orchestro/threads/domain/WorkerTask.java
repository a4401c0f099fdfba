package io.orchestro.threads.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One attempt at a {@code worker} step, as outside workers see it (docs/api.md "worker"): queued
 * until a worker polls it, then leased to that worker for as long as it heartbeats, then finished.
 * Every attempt has a task of its own; a task is never handed to two workers.
 *
 * @param version the count of saved changes, for compare-and-swap writes
 */
public record WorkerTask(
    UUID taskId,
    String queue,
    ThreadId threadId,
    String step,
    int attempt,
    Duration heartbeatTimeout,
    Map<String, Object> config,
    Map<String, Object> input,
    Map<String, Object> stepOutputs,
    State state,
    String workerId,
    Instant leaseUntil,
    Map<String, Object> output,
    String error,
    boolean retryable,
    String progress,
    Instant createdAt,
    long version) {

  /** Where a task is in its life. */
  public enum State {
    QUEUED,
    LEASED,
    COMPLETED,
    FAILED;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static State fromWireName(String name) {
      return valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }
  }

  public WorkerTask {
    if (taskId == null || queue == null || threadId == null || step == null || state == null) {
      throw new IllegalArgumentException("a task needs an id, a queue, a thread, a step, a state");
    }
    config = config == null ? Map.of() : JsonValues.copyOf(config);
    input = input == null ? Map.of() : JsonValues.copyOf(input);
    stepOutputs = stepOutputs == null ? Map.of() : JsonValues.copyOf(stepOutputs);
    output = output == null ? null : JsonValues.copyOf(output);
  }

  /** A new task, waiting in its queue for a worker. */
  public static WorkerTask queued(
      String queue,
      ThreadId threadId,
      String step,
      int attempt,
      Duration heartbeatTimeout,
      Map<String, Object> config,
      Map<String, Object> input,
      Map<String, Object> stepOutputs,
      Instant now) {
    return new WorkerTask(
        UUID.randomUUID(),
        queue,
        threadId,
        step,
        attempt,
        heartbeatTimeout,
        config,
        input,
        stepOutputs,
        State.QUEUED,
        null,
        null,
        null,
        null,
        false,
        null,
        now,
        0);
  }

  /** The key that agents pass on for this attempt, as {@code StepContext} makes it. */
  public String idempotencyKey() {
    return threadId + ":" + step + ":" + attempt;
  }

  /** True while a worker holds the task: leased, and its lease not yet run out. */
  public boolean leasedAt(Instant now) {
    return state == State.LEASED && leaseUntil != null && leaseUntil.isAfter(now);
  }

  /** Handed to {@code worker} until a heartbeat timeout from now. */
  public WorkerTask leasedTo(String worker, Instant now) {
    return with(
        State.LEASED, worker, now.plus(heartbeatTimeout), null, null, false, progress, version);
  }

  /** The worker is still at it: the lease runs a heartbeat timeout from now. */
  public WorkerTask heartbeat(String progressText, Instant now) {
    return with(
        state,
        workerId,
        now.plus(heartbeatTimeout),
        null,
        null,
        false,
        progressText == null ? progress : progressText,
        version);
  }

  public WorkerTask completed(Map<String, Object> result) {
    return with(State.COMPLETED, workerId, leaseUntil, result, null, false, progress, version);
  }

  public WorkerTask failed(String message, boolean mayRetry) {
    return with(State.FAILED, workerId, leaseUntil, null, message, mayRetry, progress, version);
  }

  /** The task as a store has saved it once more. */
  public WorkerTask nextVersion() {
    return with(state, workerId, leaseUntil, output, error, retryable, progress, version + 1);
  }

  private WorkerTask with(
      State newState,
      String worker,
      Instant lease,
      Map<String, Object> result,
      String message,
      boolean mayRetry,
      String progressText,
      long newVersion) {
    return new WorkerTask(
        taskId,
        queue,
        threadId,
        step,
        attempt,
        heartbeatTimeout,
        config,
        input,
        stepOutputs,
        newState,
        worker,
        lease,
        result,
        message,
        mayRetry,
        progressText,
        createdAt,
        newVersion);
  }
}
