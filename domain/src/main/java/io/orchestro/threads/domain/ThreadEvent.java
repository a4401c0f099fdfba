package io.orchestro.threads.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A change of a thread, as the aggregate records it. The event log numbers it when it is stored.
 *
 * @param step the step concerned, or null for changes of the whole thread
 * @param attempt the attempt a {@code step_progress} event is about; null for every other type
 * @param detail a {@code step_progress} event's text (an answer so far, a worker's words); null for
 *     every other type
 */
public record ThreadEvent(
    ThreadEventType type,
    ThreadId threadId,
    Instant at,
    ThreadStatus status,
    String step,
    Progress progress,
    Integer attempt,
    String detail) {

  public ThreadEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(threadId, "threadId");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(progress, "progress");
    boolean isProgress = type == ThreadEventType.STEP_PROGRESS;
    if (isProgress != (attempt != null)
        || isProgress != (detail != null)
        || (isProgress && step == null)) {
      throw new IllegalArgumentException(
          "a step_progress event, and only one, names an attempt and a detail (and its step)");
    }
  }

  /** Any event but {@code step_progress}. */
  public ThreadEvent(
      ThreadEventType type,
      ThreadId threadId,
      Instant at,
      ThreadStatus status,
      String step,
      Progress progress) {
    this(type, threadId, at, status, step, progress, null, null);
  }

  /** How far the attempt {@code attempt} at {@code step} has come, in words. */
  public static ThreadEvent stepProgress(
      ThreadId threadId,
      Instant at,
      ThreadStatus status,
      String step,
      Progress progress,
      int attempt,
      String detail) {
    return new ThreadEvent(
        ThreadEventType.STEP_PROGRESS, threadId, at, status, step, progress, attempt, detail);
  }

  /** The same event at another time (a store keeping times to its own precision). */
  public ThreadEvent at(Instant otherTime) {
    return new ThreadEvent(type, threadId, otherTime, status, step, progress, attempt, detail);
  }
}
