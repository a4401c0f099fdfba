package io.orchestro.threads.domain;

import java.util.Set;

/**
 * Which events a reader wants.
 *
 * @param threadId only this thread's events, or null for every thread's
 * @param types only events of these types; empty for every type
 * @param owner only events of this owner's threads, or null for every owner's
 */
public record EventFilter(ThreadId threadId, Set<ThreadEventType> types, String owner) {

  public static final EventFilter ALL = new EventFilter(null, Set.of());

  public EventFilter {
    types = types == null ? Set.of() : Set.copyOf(types);
  }

  /** Every owner's events. */
  public EventFilter(ThreadId threadId, Set<ThreadEventType> types) {
    this(threadId, types, null);
  }

  /** The same filter, only for the events of {@code onlyOwner}'s threads (null: every owner's). */
  public EventFilter withOwner(String onlyOwner) {
    return new EventFilter(threadId, types, onlyOwner);
  }

  public static EventFilter ofThread(ThreadId threadId) {
    return new EventFilter(threadId, Set.of());
  }

  public boolean matches(ThreadEvent event) {
    return (owner == null || owner.equals(event.owner()))
        && (threadId == null || threadId.equals(event.threadId()))
        && (types.isEmpty() || types.contains(event.type()));
  }
}
