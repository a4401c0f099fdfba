package io.orchestro.threads.application.port.out;

import java.util.List;
import java.util.Map;

/**
 * Does the work of one step. The engine calls {@link #run} once per attempt, on a worker thread of
 * its own; an agent that waits should stop as soon as {@link StepContext#cancellation()} fires.
 *
 * <p>Agents are found by name: the service's own, and any found on the class path through {@link
 * java.util.ServiceLoader} (a jar listing its class in {@code
 * META-INF/services/io.orchestro.threads.application.port.out.Agent}).
 */
public interface Agent {

  /** The name that workflow definitions use for this agent. */
  String name();

  /**
   * Runs one attempt.
   *
   * @return the step's output, JSON-like values only (maps, lists, strings, numbers, booleans)
   * @throws AttemptFailedException when the attempt failed and the agent knows whether another
   *     attempt may succeed, or when the next one should wait
   * @throws Exception when the attempt fails otherwise; its message becomes the step's error, and
   *     the step's retry policy decides whether it runs again
   */
  Map<String, Object> run(StepContext context) throws Exception;

  /**
   * Checks a step's configuration when a definition is stored, so that mistakes show at once.
   *
   * @param config the step's configuration
   * @param earlierSteps the names of the steps before this one in the definition, in order: the
   *     only ones whose outputs the step can see
   * @throws IllegalArgumentException with a message for the person who wrote the definition
   */
  default void checkConfig(Map<String, Object> config, List<String> earlierSteps) {}

  /**
   * Whether a pause of the thread gives up this agent's attempt in flight rather than letting it
   * finish: true for an agent that waits on another service (a request that resume sends again,
   * with the next attempt's idempotency key). The engine then fires the attempt's {@link
   * StepContext#cancellation()}; unless the attempt succeeded meanwhile, it is cut short (counted,
   * not a failure), the step goes back to pending and the pause settles at once. False by default:
   * the attempt finishes and its result is recorded.
   */
  default boolean stopsOnPause() {
    return false;
  }
}
