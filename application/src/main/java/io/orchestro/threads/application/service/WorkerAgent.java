package io.orchestro.threads.application.service;

import io.orchestro.threads.application.port.out.Agent;
import io.orchestro.threads.application.port.out.AttemptCutShortException;
import io.orchestro.threads.application.port.out.AttemptFailedException;
import io.orchestro.threads.application.port.out.AttemptParkedException;
import io.orchestro.threads.application.port.out.StepContext;
import io.orchestro.threads.application.port.out.WorkerTaskStore;
import io.orchestro.threads.domain.WorkerTask;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code worker}: a step done by an outside worker through the task API. Each attempt offers a task
 * to the step's queue and parks until the task is finished; it holds no running slot meanwhile. It
 * wakes when a worker completes or fails the task, and on its own every heartbeat timeout, to learn
 * whether the worker holding the task went silent: then the attempt is cut short (counted, not a
 * failure) and the next attempt offers a new task.
 *
 * <p>It lives here rather than with the other agents because the task API is part of the core: the
 * two share the task store and the long polls waiting for tasks.
 */
public final class WorkerAgent implements Agent {

  public static final String NAME = "worker";

  static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(30);
  private static final long LEAST_TIMEOUT_MILLIS = 100;
  private static final long MOST_TIMEOUT_MILLIS = Duration.ofHours(1).toMillis();

  private final WorkerTaskStore tasks;
  private final TaskService taskApi;
  private final Clock clock;

  public WorkerAgent(WorkerTaskStore tasks, TaskService taskApi, Clock clock) {
    this.tasks = tasks;
    this.taskApi = taskApi;
    this.clock = clock;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Map<String, Object> run(StepContext context) {
    Instant now = clock.instant();
    WorkerTask task =
        tasks.findAttempt(context.threadId(), context.stepName(), context.attempt()).orElse(null);
    if (task == null) {
      String queue = queue(context.config());
      task =
          tasks.offer(
              WorkerTask.queued(
                  queue,
                  context.threadId(),
                  context.stepName(),
                  context.attempt(),
                  heartbeatTimeout(context.config()),
                  context.config(),
                  context.input(),
                  new LinkedHashMap<>(context.stepOutputs()),
                  now));
      taskApi.offered(queue);
    }
    return switch (task.state()) {
      // not taken yet: look again after a heartbeat timeout, in case a worker took it meanwhile
      case QUEUED -> throw new AttemptParkedException(now.plus(task.heartbeatTimeout()));
      case LEASED -> {
        if (task.leasedAt(now)) {
          throw new AttemptParkedException(task.leaseUntil());
        }
        throw new AttemptCutShortException(
            "worker "
                + task.workerId()
                + " sent no heartbeat within "
                + task.heartbeatTimeout().toMillis()
                + " ms");
      }
      case COMPLETED -> task.output();
      case FAILED ->
          throw task.retryable()
              ? AttemptFailedException.retryable(task.error())
              : AttemptFailedException.notRetryable(task.error());
    };
  }

  @Override
  public void checkConfig(Map<String, Object> config, List<String> earlierSteps) {
    queue(config);
    heartbeatTimeout(config);
  }

  private static String queue(Map<String, Object> config) {
    if (config.get("queue") instanceof String queue && !queue.isBlank() && queue.length() <= 200) {
      return queue;
    }
    throw new IllegalArgumentException("'queue' must be a name of 1 to 200 characters");
  }

  private static Duration heartbeatTimeout(Map<String, Object> config) {
    Object value = config.get("heartbeat_timeout_millis");
    if (value == null) {
      return DEFAULT_HEARTBEAT_TIMEOUT;
    }
    if (value instanceof Number number
        && number.doubleValue() == Math.rint(number.doubleValue())
        && number.longValue() >= LEAST_TIMEOUT_MILLIS
        && number.longValue() <= MOST_TIMEOUT_MILLIS) {
      return Duration.ofMillis(number.longValue());
    }
    throw new IllegalArgumentException(
        "'heartbeat_timeout_millis' must be a whole number from "
            + LEAST_TIMEOUT_MILLIS
            + " to "
            + MOST_TIMEOUT_MILLIS);
  }
}
