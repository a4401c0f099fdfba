package io.orchestro.threads.application.port.out;

import io.orchestro.threads.domain.ThreadId;

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
   * A thread was paused: give up its attempt in flight when the agent {@link Agent#stopsOnPause()
   * stops on pause}. Nothing to do by default: a pause otherwise waits for the step in flight.
   */
  default void paused(ThreadId id) {}

  /** A thread was deleted: cancel its agent if one runs. */
  void deleted(ThreadId id);

  /** A thread was cancelled (it is kept, as failed): cancel its agent if one runs. */
  void cancelled(ThreadId id);
}
