package io.orchestro.threads.bootstrap;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.orchestro.threads.application.port.out.WorkflowThreadStore;
import io.orchestro.threads.domain.ThreadStatus;
import java.time.Duration;
import java.util.Map;

/**
 * {@value OrchestroMeters#THREADS}: the stored threads by status. One count query answers every
 * status, and its answer serves the scrapes of the next few seconds, so that scraping often costs
 * the store little however many threads it holds.
 */
final class ThreadStatusGauges implements MeterBinder {

  static final Duration FRESH_FOR = Duration.ofSeconds(5);

  private final WorkflowThreadStore store;
  private Map<ThreadStatus, Long> counts;
  private long countedAt;
  private boolean counted;

  ThreadStatusGauges(WorkflowThreadStore store) {
    this.store = store;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (ThreadStatus status : ThreadStatus.values()) {
      Gauge.builder(OrchestroMeters.THREADS, this, gauges -> gauges.count(status))
          .description("Threads stored, by status (counted at most every 5 s)")
          .tag(OrchestroMeters.STATUS, status.wireName())
          .register(registry);
    }
  }

  /** The count of one status; NaN (no value) while the store cannot answer. */
  private synchronized double count(ThreadStatus status) {
    long now = System.nanoTime();
    // a failed count is kept for as long as a good one: a scrape reads every status's gauge, and a
    // store that is down must not be asked once per gauge
    if (!counted || now - countedAt >= FRESH_FOR.toNanos()) {
      counted = true;
      countedAt = now;
      try {
        counts = store.countByStatus();
      } catch (RuntimeException storeDown) {
        // readiness reports the store itself; here the gauges only go blank until it answers
        counts = null;
      }
    }
    return counts == null ? Double.NaN : counts.get(status);
  }
}
