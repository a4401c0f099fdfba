package io.orchestro.threads.bootstrap;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code orchestro.retention.*}: how long finished threads are kept (docs/api.md "Keeping the store
 * small").
 *
 * @param completed how long after it completed a thread is deleted, with its events, steps, tasks
 *     and webhook deliveries; unset (the default): kept for ever
 * @param failed the same for failed threads (cancelled ones among them)
 * @param interval how often each node looks for what has expired
 * @param batchSize threads deleted, or events pruned, per batch: each batch is a short write of its
 *     own
 */
@ConfigurationProperties("orchestro.retention")
public record RetentionProperties(
    Duration completed,
    Duration failed,
    @DefaultValue("1m") Duration interval,
    @DefaultValue("500") int batchSize) {

  public RetentionProperties {
    requirePositive("orchestro.retention.completed", completed);
    requirePositive("orchestro.retention.failed", failed);
    requirePositive("orchestro.retention.interval", interval);
    if (batchSize < 1) {
      throw new IllegalArgumentException("orchestro.retention.batch-size must be 1 or more");
    }
  }

  static void requirePositive(String name, Duration duration) {
    if (duration != null && (duration.isZero() || duration.isNegative())) {
      throw new IllegalArgumentException(name + " must be a positive duration, not " + duration);
    }
  }
}
