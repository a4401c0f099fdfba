package io.orchestro.threads.application.port.out;

import java.time.Duration;

/**
 * What the event streams and the webhooks report about their deliveries, for metrics. Called on
 * their own threads, in the middle of their work: an implementation must be quick and must not
 * throw.
 */
public interface DeliveryObserver {

  /** Reports nothing: for deliveries nobody watches. */
  DeliveryObserver NONE =
      new DeliveryObserver() {
        @Override
        public void eventDelivered(Duration lag) {}

        @Override
        public void webhookAttemptFailed() {}
      };

  /**
   * A live event was taken by an event stream's sender to be written to its client, {@code lag}
   * after the event happened (its {@code at}). Not reported for history a client asked for: its lag
   * is how old the history is, not how slow the delivery.
   */
  void eventDelivered(Duration lag);

  /**
   * An attempt at delivering an event to a webhook failed: the receiver answered other than 2xx,
   * could not be reached or did not answer in time.
   */
  void webhookAttemptFailed();
}
