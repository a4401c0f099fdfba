package io.orchestro.threads.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A change of a thread, as the aggregate records it. The event log numbers it when it is stored.
 *
 * @param step the step concerned, or null for changes of the whole thread
 * @param attempt the attempt a {@code step_progress} event is about; null for every other type
 * @param detail a {@code step_progress} event's text (an answer so far, a worker's words), or a
 *     {@code webhook_disabled} event's account of it; null for every other type
 * @param owner the owner of the thread: who may see the event (kept with it, since the events of a
 *     deleted thread outlive it)
 * @param actor who caused the change: the owner of the caller that asked for it, or {@link
 *     Caller#ENGINE_ACTOR} for what the engine does on its own
 */
public record ThreadEvent(
    ThreadEventType type,
    ThreadId threadId,
    Instant at,
    ThreadStatus status,
    String step,
    Progress progress,
    Integer attempt,
    String detail,
    String owner,
    String actor) {

  public ThreadEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(threadId, "threadId");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(progress, "progress");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(actor, "actor");
    boolean isProgress = type == ThreadEventType.STEP_PROGRESS;
    boolean hasDetail = isProgress || type == ThreadEventType.WEBHOOK_DISABLED;
    if (isProgress != (attempt != null)
        || hasDetail != (detail != null)
        || (isProgress && step == null)) {
      throw new IllegalArgumentException(
          "a step_progress event, and only one, names an attempt and a detail (and its step);"
              + " a webhook_disabled event a detail");
    }
  }

  /** Any event but {@code step_progress}, of a thread of {@code owner}, caused by {@code actor}. */
  public ThreadEvent(
      ThreadEventType type,
      ThreadId threadId,
      Instant at,
      ThreadStatus status,
      String step,
      Progress progress,
      String owner,
      String actor) {
    this(type, threadId, at, status, step, progress, null, null, owner, actor);
  }

  /**
   * Any event but {@code step_progress} that the engine caused, of a thread of the local owner (as
   * before owners were kept).
   */
  public ThreadEvent(
      ThreadEventType type,
      ThreadId threadId,
      Instant at,
      ThreadStatus status,
      String step,
      Progress progress) {
    this(type, threadId, at, status, step, progress, Caller.LOCAL_OWNER, Caller.ENGINE_ACTOR);
  }

  /**
   * {@link #stepProgress(ThreadId, Instant, ThreadStatus, String, Progress, int, String, String)}
   * of the local owner's thread.
   */
  public static ThreadEvent stepProgress(
      ThreadId threadId,
      Instant at,
      ThreadStatus status,
      String step,
      Progress progress,
      int attempt,
      String detail) {
    return stepProgress(threadId, at, status, step, progress, attempt, detail, Caller.LOCAL_OWNER);
  }

  /** How far the attempt {@code attempt} at {@code step} of a thread of {@code owner} has come. */
  public static ThreadEvent stepProgress(
      ThreadId threadId,
      Instant at,
      ThreadStatus status,
      String step,
      Progress progress,
      int attempt,
      String detail,
      String owner) {
    return new ThreadEvent(
        ThreadEventType.STEP_PROGRESS,
        threadId,
        at,
        status,
        step,
        progress,
        attempt,
        detail,
        owner,
        Caller.ENGINE_ACTOR);
  }

  /**
   * A webhook was disabled at an event of this thread (the thread as that event left it): its
   * receiver had failed for too long. The engine's doing, seen by whoever sees the thread's events.
   *
   * @param detail which webhook, and since when its receiver failed
   */
  public static ThreadEvent webhookDisabled(ThreadEvent stoppedAt, Instant at, String detail) {
    return new ThreadEvent(
        ThreadEventType.WEBHOOK_DISABLED,
        stoppedAt.threadId(),
        at,
        stoppedAt.status(),
        null,
        stoppedAt.progress(),
        null,
        detail,
        stoppedAt.owner(),
        Caller.ENGINE_ACTOR);
  }

  /** The same event at another time (a store keeping times to its own precision). */
  public ThreadEvent at(Instant otherTime) {
    return new ThreadEvent(
        type, threadId, otherTime, status, step, progress, attempt, detail, owner, actor);
  }
}
