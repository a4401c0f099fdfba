package io.orchestro.threads.application.port.out;

import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.WorkflowThread;
import java.time.Instant;

/** How the use cases tell the engine about work at once, instead of leaving it to the next poll. */
public interface EngineSignal {

  /** Does nothing: for use cases running without an engine. */
  EngineSignal NONE =
      new EngineSignal() {
        @Override
        public void runnable(ThreadId id) {}

        @Override
        public void deleted(ThreadId id) {}

        @Override
        public void cancelled(ThreadId id) {}
      };

  /** A thread was created, resumed or retried: it may run now. */
  void runnable(ThreadId id);

  /**
   * A claim of this node's engine for a thread about to be created, so that the thread is stored
   * claimed ({@link WorkflowThreadStore#insertClaimed}), its first step started, and handed to the
   * engine at once, rather than stored unclaimed, then claimed and started in writes of their own.
   * Null when the engine would not start the thread at once: no engine runs, all its places are
   * taken, or it may know of other threads waiting to be claimed (the new one would pass them).
   * None by default.
   */
  default NewClaim claimNew() {
    return null;
  }

  /**
   * A place on this node's engine, held for one thread being created: the caller ends it with
   * exactly one of {@link #start} and {@link #cancel}.
   */
  interface NewClaim {

    /** The owner name to store the claim with. */
    String owner();

    /** Until when the claim holds unless renewed: a crash before then leaves it to a take-over. */
    Instant leaseUntil();

    /**
     * Starts the thread being created, and its first step, so that the insert that claims it stores
     * them too, and the engine runs that step's attempt without a write of its own first: done when
     * the step may start at once, with no place under a limit to ask for; otherwise {@code created}
     * is left as it is.
     */
    void startFirstStep(WorkflowThread created);

    /** The thread was stored with this claim: the engine works on it from now on. */
    void start(WorkflowThread stored);

    /** The thread was not stored with this claim: the place is free again. */
    void cancel();
  }

  /**
   * A thread was paused: give up its attempt in flight when the agent {@link Agent#stopsOnPause()
   * stops on pause}. Nothing to do by default: a pause otherwise waits for the step in flight.
   */
  default void paused(ThreadId id) {}

  /** A thread was deleted: cancel its agent if one runs. */
  void deleted(ThreadId id);

  /** A thread was cancelled (it is kept, as failed): cancel its agent if one runs. */
  void cancelled(ThreadId id);
}
