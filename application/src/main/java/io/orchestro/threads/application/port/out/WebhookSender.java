package io.orchestro.threads.application.port.out;

import io.orchestro.threads.domain.LoggedEvent;
import io.orchestro.threads.domain.Webhook;

/** Sends one event to a webhook's receiver, signed with its secret. */
public interface WebhookSender {

  /**
   * @param delivered whether the receiver took it (answered 2xx)
   * @param responseStatus its HTTP status, or null when none came (refused, timed out)
   * @param error what went wrong, or null when delivered
   */
  record Outcome(boolean delivered, Integer responseStatus, String error) {}

  /** One attempt; never throws for the receiver's failures, which the outcome reports. */
  Outcome send(Webhook webhook, LoggedEvent event);
}
