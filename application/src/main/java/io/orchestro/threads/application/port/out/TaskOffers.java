package io.orchestro.threads.application.port.out;

import java.util.function.Consumer;

/**
 * How the long polls of every node sharing a store learn at once that a task was offered on another
 * node. Without it, they find such tasks at their next look in the store.
 */
public interface TaskOffers {

  /** For a store that no other node shares (H2, JSON): nothing to tell, nothing to hear. */
  TaskOffers THIS_NODE_ONLY =
      new TaskOffers() {
        @Override
        public void announce(String queue) {}

        @Override
        public void listen(Consumer<String> offeredElsewhere) {}
      };

  /** Tells the other nodes that a task was offered to {@code queue}. */
  void announce(String queue);

  /**
   * From now on, calls {@code offeredElsewhere} with the queue of each task that another node
   * announces, on a thread of its own. An announcement may be missed (while the connection to the
   * database is re-established, say): the callers still look in the store now and then.
   */
  void listen(Consumer<String> offeredElsewhere);
}
