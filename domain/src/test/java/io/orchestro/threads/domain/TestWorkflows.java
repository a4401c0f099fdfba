package io.orchestro.threads.domain;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Test data: workflow definitions and threads in any status, shared through the test-jar. */
public final class TestWorkflows {

  public static final Instant T0 = Instant.parse("2026-11-28T10:00:00.123Z");

  private TestWorkflows() {}

  /** A definition whose steps all use the {@code delay} agent with 0 ms. */
  public static WorkflowDefinition definition(String type, String... stepNames) {
    List<StepDefinition> steps =
        Arrays.stream(stepNames)
            .map(name -> new StepDefinition(name, "delay", Map.of("millis", 0), null, null))
            .toList();
    return new WorkflowDefinition(type, 1, "test workflow " + type, List.of(type), steps);
  }

  public static ThreadRequest request(String prompt) {
    return new ThreadRequest(prompt, null, null, null);
  }

  /** A new pending thread of a three-step workflow {@code test} (steps a, b, c). */
  public static WorkflowThread pendingThread() {
    return WorkflowThread.create(
        ThreadId.generate(), request("do the thing"), definition("test", "a", "b", "c"), T0);
  }

  /** {@code count} new pending threads as {@link #pendingThread} makes them, for a batch. */
  public static List<WorkflowThread> pendingThreads(int count) {
    return Stream.generate(TestWorkflows::pendingThread).limit(count).toList();
  }

  /** A thread of {@code definition}, moved to {@code status} through its intent methods. */
  public static WorkflowThread threadIn(ThreadStatus status, WorkflowDefinition definition) {
    WorkflowThread thread =
        WorkflowThread.create(ThreadId.generate(), request("do the thing"), definition, T0);
    Instant now = T0.plusSeconds(1);
    switch (status) {
      case PENDING -> {}
      case RUNNING -> thread.start(now);
      case PAUSED -> thread.pause(now);
      case COMPLETED -> {
        thread.start(now);
        for (StepDefinition step : definition.steps()) {
          thread.startStep(step.name(), now);
          thread.completeStep(step.name(), Map.of("done", step.name()), now);
        }
      }
      case FAILED -> {
        thread.start(now);
        String first = definition.steps().get(0).name();
        thread.startStep(first, now);
        thread.failStep(first, "boom", RetryPolicy.NONE, now);
      }
    }
    return thread;
  }

  public static WorkflowThread threadIn(ThreadStatus status) {
    return threadIn(status, definition("test", "a", "b", "c"));
  }

  /** A step run by the {@code delay} agent with 0 ms, with the given retry policy. */
  public static StepDefinition step(String name, RetryPolicy retry) {
    return new StepDefinition(name, "delay", Map.of("millis", 0), retry, null);
  }

  /**
   * A definition whose steps all use the {@code delay} agent with 0 ms and may each fail {@code
   * maxAttempts} times in one run.
   */
  public static WorkflowDefinition definitionWithRetry(
      String type, int maxAttempts, String... stepNames) {
    List<StepDefinition> steps =
        Arrays.stream(stepNames)
            .map(name -> step(name, new RetryPolicy(maxAttempts, 100)))
            .toList();
    return new WorkflowDefinition(type, 1, "test workflow " + type, List.of(type), steps);
  }

  /** A one-step definition (step {@code a}) selected by {@code keywords}. */
  public static WorkflowDefinition definitionWithKeywords(String type, String... keywords) {
    return new WorkflowDefinition(
        type, 1, "test workflow " + type, List.of(keywords), List.of(step("a", RetryPolicy.NONE)));
  }

  /** A request with a prompt (may be null) and extra inputs (may be null). */
  public static ThreadRequest request(String prompt, Map<String, Object> input) {
    return new ThreadRequest(prompt, null, null, input);
  }
}
