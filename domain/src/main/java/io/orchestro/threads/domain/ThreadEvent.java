package io.orchestro.threads.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A change of a thread, as the aggregate records it. The event log numbers it when it is stored.
 *
 * @param step the step concerned, or null for changes of the whole thread
 */
public record ThreadEvent(
    ThreadEventType type,
    ThreadId threadId,
    Instant at,
    ThreadStatus status,
    String step,
    Progress progress) {

  public ThreadEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(threadId, "threadId");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(progress, "progress");
  }
}
