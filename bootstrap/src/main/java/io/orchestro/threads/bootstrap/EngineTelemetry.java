package io.orchestro.threads.bootstrap;

import static io.orchestro.threads.bootstrap.OrchestroMeters.AGENT;
import static io.orchestro.threads.bootstrap.OrchestroMeters.BUCKETS;
import static io.orchestro.threads.bootstrap.OrchestroMeters.OUTCOME;
import static io.orchestro.threads.bootstrap.OrchestroMeters.WORKFLOW_TYPE;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.orchestro.threads.application.port.out.EngineObserver;
import io.orchestro.threads.domain.ThreadId;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.MDC;

/**
 * What the engine reports, as Micrometer meters ({@link OrchestroMeters}), and the id of the thread
 * it works on as {@value #THREAD_ID} in the log context (SLF4J's MDC) meanwhile: every log line
 * about a thread, the agents' own included, carries it, as a field of its own in structured (JSON)
 * logs.
 */
final class EngineTelemetry implements EngineObserver {

  /** The log context key of the thread id, named as the API names it. */
  static final String THREAD_ID = "thread_id";

  private record StepKey(String workflowType, String agent) {}

  private record StepMeters(
      Counter started, Counter completed, Counter failed, Timer tookCompleted, Timer tookFailed) {}

  private final MeterRegistry registry;
  private final Map<StepKey, StepMeters> steps = new ConcurrentHashMap<>();
  private final Map<String, Timer> claimLag = new ConcurrentHashMap<>();
  private final Map<String, Timer> limitWaits = new ConcurrentHashMap<>();

  EngineTelemetry(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void claimed(String workflowType, Duration waited) {
    claimLag
        .computeIfAbsent(
            workflowType,
            type ->
                histogram(
                    OrchestroMeters.CLAIM_LAG,
                    "How long runnable threads waited until this node claimed them",
                    WORKFLOW_TYPE,
                    type))
        .record(waited);
  }

  @Override
  public void limitWaited(String limit, Duration waited) {
    limitWaits
        .computeIfAbsent(
            limit,
            key ->
                histogram(
                    OrchestroMeters.LIMIT_WAIT,
                    "How long attempts were held back by a limit before they started",
                    OrchestroMeters.LIMIT,
                    key))
        .record(waited);
  }

  private Timer histogram(String name, String description, String tag, String value) {
    return Timer.builder(name)
        .description(description)
        .tag(tag, value)
        .serviceLevelObjectives(BUCKETS)
        .register(registry);
  }

  @Override
  public void stepStarted(String workflowType, String agent) {
    metersOf(workflowType, agent).started().increment();
  }

  @Override
  public void stepCompleted(String workflowType, String agent, Duration took) {
    StepMeters meters = metersOf(workflowType, agent);
    meters.completed().increment();
    meters.tookCompleted().record(took);
  }

  @Override
  public void stepFailed(String workflowType, String agent, Duration took) {
    StepMeters meters = metersOf(workflowType, agent);
    meters.failed().increment();
    meters.tookFailed().record(took);
  }

  @Override
  public Scope workingOn(ThreadId id) {
    String outer = MDC.get(THREAD_ID);
    MDC.put(THREAD_ID, id.toString());
    return outer == null ? () -> MDC.remove(THREAD_ID) : () -> MDC.put(THREAD_ID, outer);
  }

  private StepMeters metersOf(String workflowType, String agent) {
    return steps.computeIfAbsent(new StepKey(workflowType, agent), this::register);
  }

  private StepMeters register(StepKey key) {
    return new StepMeters(
        counter(OrchestroMeters.STEPS_STARTED, "Attempts at steps begun", key),
        counter(OrchestroMeters.STEPS_COMPLETED, "Attempts at steps that succeeded", key),
        counter(OrchestroMeters.STEPS_FAILED, "Attempts at steps that failed or timed out", key),
        duration(key, "completed"),
        duration(key, "failed"));
  }

  private Counter counter(String name, String description, StepKey key) {
    return Counter.builder(name)
        .description(description)
        .tag(WORKFLOW_TYPE, key.workflowType())
        .tag(AGENT, key.agent())
        .register(registry);
  }

  private Timer duration(StepKey key, String outcome) {
    return Timer.builder(OrchestroMeters.STEP_DURATION)
        .description("How long attempts at steps took")
        .tag(WORKFLOW_TYPE, key.workflowType())
        .tag(AGENT, key.agent())
        .tag(OUTCOME, outcome)
        .serviceLevelObjectives(BUCKETS)
        .register(registry);
  }
}
