package io.orchestro.threads.domain;

import java.util.Set;

/**
 * Which events a reader wants.
 *
 * @param threadId only this thread's events, or null for every thread's
 * @param types only events of these types; empty for every type
 */
public record EventFilter(ThreadId threadId, Set<ThreadEventType> types) {

  public static final EventFilter ALL = new EventFilter(null, Set.of());

  public EventFilter {
    types = types == null ? Set.of() : Set.copyOf(types);
  }

  public static EventFilter ofThread(ThreadId threadId) {
    return new EventFilter(threadId, Set.of());
  }

  public boolean matches(ThreadEvent event) {
    return (threadId == null || threadId.equals(event.threadId()))
        && (types.isEmpty() || types.contains(event.type()));
  }
}
