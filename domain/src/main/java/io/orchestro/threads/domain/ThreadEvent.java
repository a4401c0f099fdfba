package io.orchestro.threads.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A change of a thread, as the aggregate records it. The event log numbers it when it is stored.
 *
 * @param step the step concerned, or null for changes of the whole thread
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
  }

  /** An event the engine caused, of a thread of the local owner (as before owners were kept). */
  public ThreadEvent(
      ThreadEventType type,
      ThreadId threadId,
      Instant at,
      ThreadStatus status,
      String step,
      Progress progress) {
    this(type, threadId, at, status, step, progress, Caller.LOCAL_OWNER, Caller.ENGINE_ACTOR);
  }

  /** The same event at another time (as a store that keeps coarser times reads it back). */
  public ThreadEvent withAt(Instant newAt) {
    return new ThreadEvent(type, threadId, newAt, status, step, progress, owner, actor);
  }
}
