package io.orchestro.threads.application.port.out;

import java.util.Map;

/**
 * Does the work of one step. The engine calls {@link #run} once per attempt, on a worker thread of
 * its own; an agent that waits should stop as soon as {@link StepContext#cancellation()} fires.
 */
public interface Agent {

  /** The name that workflow definitions use for this agent. */
  String name();

  /**
   * Runs one attempt.
   *
   * @return the step's output, JSON-like values only (maps, lists, strings, numbers, booleans)
   * @throws Exception when the attempt fails; its message becomes the step's error
   */
  Map<String, Object> run(StepContext context) throws Exception;

  /**
   * Checks a step's configuration when a definition is stored, so that mistakes show at once.
   *
   * @throws IllegalArgumentException with a message for the person who wrote the definition
   */
  default void checkConfig(Map<String, Object> config) {}
}
