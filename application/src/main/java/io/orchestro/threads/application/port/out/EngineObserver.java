package io.orchestro.threads.application.port.out;

import io.orchestro.threads.domain.ThreadId;
import java.time.Duration;

/**
 * What the engine reports about its work, for metrics and logs. It is called on the engine's own
 * threads, in the middle of its work: an implementation must be quick and must not throw.
 */
public interface EngineObserver {

  /** Reports nothing: for an engine nobody watches. */
  EngineObserver NONE =
      new EngineObserver() {
        @Override
        public void claimed(String workflowType, Duration waited) {}

        @Override
        public void stepStarted(String workflowType, String agent) {}

        @Override
        public void stepCompleted(String workflowType, String agent, Duration took) {}

        @Override
        public void stepFailed(String workflowType, String agent, Duration took) {}

        @Override
        public Scope workingOn(ThreadId id) {
          return Scope.NONE;
        }
      };

  /**
   * A runnable thread was claimed {@code waited} after it became runnable: after it was created,
   * resumed or retried, or after its retry backoff ended. Not reported for threads taken over after
   * a crash.
   */
  void claimed(String workflowType, Duration waited);

  /** An attempt at a step begins (every attempt, retries included). */
  void stepStarted(String workflowType, String agent);

  /** An attempt succeeded after {@code took}. */
  void stepCompleted(String workflowType, String agent, Duration took);

  /**
   * An attempt failed after {@code took}: the agent failed, there was no such agent, or the step
   * timed out. Attempts cut short by a delete, a lost claim or a shutdown are neither failures nor
   * completions.
   */
  void stepFailed(String workflowType, String agent, Duration took);

  /**
   * An attempt was held back by {@code limit} (a key such as {@code agent:llm}) for {@code waited}
   * before it could start: the time from this node's first refusal to its start. Not reported for
   * attempts that started at once.
   */
  default void limitWaited(String limit, Duration waited) {}

  /**
   * The calling Java thread works on thread {@code id} until the returned scope is closed, so that
   * an implementation can tag what happens meanwhile (log lines) with the id. Scopes nest only as
   * try-with-resources blocks do.
   */
  Scope workingOn(ThreadId id);

  /** The end of {@link #workingOn}. */
  interface Scope extends AutoCloseable {

    Scope NONE = () -> {};

    @Override
    void close();
  }
}
