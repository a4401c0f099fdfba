package io.orchestro.threads.bootstrap;

import java.time.Duration;

/**
 * The names and tags of the service's own meters, in one place. Prometheus shows them with dots as
 * underscores and its unit suffixes: {@code orchestro_steps_started_total}, {@code
 * orchestro_step_duration_seconds_bucket}, {@code orchestro_threads{status="running"}}.
 */
final class OrchestroMeters {

  /** Gauge: threads stored, by {@link #STATUS}. */
  static final String THREADS = "orchestro.threads";

  /** Counter: attempts at steps begun, by {@link #WORKFLOW_TYPE} and {@link #AGENT}. */
  static final String STEPS_STARTED = "orchestro.steps.started";

  /** Counter: attempts that succeeded, by {@link #WORKFLOW_TYPE} and {@link #AGENT}. */
  static final String STEPS_COMPLETED = "orchestro.steps.completed";

  /** Counter: attempts that failed or timed out, by {@link #WORKFLOW_TYPE} and {@link #AGENT}. */
  static final String STEPS_FAILED = "orchestro.steps.failed";

  /**
   * Timer with histogram buckets: how long attempts took, by {@link #WORKFLOW_TYPE}, {@link #AGENT}
   * and {@link #OUTCOME}.
   */
  static final String STEP_DURATION = "orchestro.step.duration";

  /**
   * Timer with histogram buckets: how long runnable threads waited until this node claimed them, by
   * {@link #WORKFLOW_TYPE}.
   */
  static final String CLAIM_LAG = "orchestro.claim.lag";

  /**
   * Timer with histogram buckets: from a live event happening (its {@code at}) to an event stream's
   * sender taking it to write to its client.
   */
  static final String EVENT_DELIVERY_LAG = "orchestro.event.delivery.lag";

  /**
   * Counter: attempts at delivering an event to a webhook that failed (not 2xx, unreachable, too
   * slow); each retry that fails counts again.
   */
  static final String WEBHOOK_FAILURES = "orchestro.webhook.failures";

  /**
   * Counter: tokens of the llm agent's prompts and answers, by {@link #PROVIDER}, {@link #MODEL}
   * and {@link #DIRECTION}.
   */
  static final String LLM_TOKENS = "orchestro.llm.tokens";

  /**
   * Timer with histogram buckets: how long attempts were held back by a limit before they started,
   * by {@link #LIMIT}. Only attempts that waited are recorded.
   */
  static final String LIMIT_WAIT = "orchestro.limit.wait";

  static final String STATUS = "status";

  /** The limit's key: {@code agent:NAME} or {@code workflow:TYPE}. */
  static final String LIMIT = "limit";

  static final String WORKFLOW_TYPE = "workflow_type";
  static final String AGENT = "agent";

  /** The configured name of a language-model provider. */
  static final String PROVIDER = "provider";

  static final String MODEL = "model";

  /** {@code input} (the prompt) or {@code output} (the answer). */
  static final String DIRECTION = "direction";

  /** {@code completed} or {@code failed}. */
  static final String OUTCOME = "outcome";

  /**
   * The histogram buckets of the timers: from a no-op step or an instant claim to the longest retry
   * backoff (10 minutes).
   */
  static final Duration[] BUCKETS = {
    Duration.ofMillis(1),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofSeconds(2),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30),
    Duration.ofMinutes(1),
    Duration.ofMinutes(5),
    Duration.ofMinutes(10)
  };

  private OrchestroMeters() {}
}
