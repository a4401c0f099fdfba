package io.orchestro.threads.bootstrap;

import static io.orchestro.threads.bootstrap.OrchestroMeters.BUCKETS;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.orchestro.threads.application.port.out.DeliveryObserver;
import java.time.Duration;

/**
 * What the event streams and the webhooks report, as Micrometer meters ({@link OrchestroMeters}).
 */
final class DeliveryTelemetry implements DeliveryObserver {

  private final Timer eventDeliveryLag;
  private final Counter webhookFailures;

  DeliveryTelemetry(MeterRegistry registry) {
    eventDeliveryLag =
        Timer.builder(OrchestroMeters.EVENT_DELIVERY_LAG)
            .description("From an event happening to its stream's sender taking it to write")
            .serviceLevelObjectives(BUCKETS)
            .register(registry);
    webhookFailures =
        Counter.builder(OrchestroMeters.WEBHOOK_FAILURES)
            .description("Attempts at delivering an event to a webhook that failed")
            .register(registry);
  }

  @Override
  public void eventDelivered(Duration lag) {
    // the clocks of nodes sharing a database may disagree a little: no negative lag
    eventDeliveryLag.record(lag.isNegative() ? Duration.ZERO : lag);
  }

  @Override
  public void webhookAttemptFailed() {
    webhookFailures.increment();
  }
}
