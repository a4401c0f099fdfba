package io.orchestro.threads.application.engine;

import io.orchestro.threads.domain.ThreadId;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The threads this node has held back by a limit and that have not started since: which to wake
 * first when this node frees a place under a limit, and since when each waits here (the measure of
 * a wait comes from {@code LimitLeases}, which every node shares; this one serves when it fails).
 * Bounded: the oldest entries are forgotten past {@link #MOST}, which costs a forgotten thread
 * nothing but its wait's measure and an early wake (it rechecks on its own).
 */
final class HeldBackThreads {

  private static final int MOST = 10_000;

  /** Since when a thread waits, and on which limit it was last refused. */
  record Wait(String limit, Instant since) {}

  private final Map<ThreadId, Wait> waits =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ThreadId, Wait> eldest) {
          return size() > MOST;
        }
      };

  private final Map<String, Deque<ThreadId>> waitingOn = new HashMap<>();

  synchronized void refused(ThreadId id, String limit, Instant now) {
    Wait earlier = waits.get(id);
    waits.put(id, new Wait(limit, earlier == null ? now : earlier.since()));
    Deque<ThreadId> queue = waitingOn.computeIfAbsent(limit, key -> new ArrayDeque<>());
    if (queue.size() < MOST && !queue.contains(id)) {
      queue.addLast(id);
    }
  }

  /** The thread got its places: its wait, if it waited, ends. */
  synchronized Optional<Wait> started(ThreadId id) {
    return Optional.ofNullable(waits.remove(id));
  }

  /** The thread that has waited longest on {@code limit} here, taken off its queue. */
  synchronized Optional<ThreadId> nextWaitingOn(String limit) {
    Deque<ThreadId> queue = waitingOn.get(limit);
    while (queue != null && !queue.isEmpty()) {
      ThreadId next = queue.pollFirst();
      if (waits.containsKey(next)) {
        return Optional.of(next);
      }
    }
    return Optional.empty();
  }

  synchronized void forget(ThreadId id) {
    waits.remove(id);
  }
}
