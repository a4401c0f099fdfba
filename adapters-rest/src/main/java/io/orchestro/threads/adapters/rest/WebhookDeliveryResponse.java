package io.orchestro.threads.adapters.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.orchestro.threads.domain.UtcTimestamp;
import io.orchestro.threads.domain.WebhookDelivery;

/** One event's delivery to a webhook, as its last attempt left it. */
@JsonInclude(JsonInclude.Include.ALWAYS)
record WebhookDeliveryResponse(
    long seq,
    @JsonProperty("event_type") String eventType,
    @JsonProperty("thread_id") String threadId,
    String status,
    int attempts,
    @JsonProperty("last_attempt_at") String lastAttemptAt,
    @JsonProperty("response_status") Integer responseStatus,
    String error) {

  static WebhookDeliveryResponse from(WebhookDelivery delivery) {
    return new WebhookDeliveryResponse(
        delivery.seq(),
        delivery.eventType().wireName(),
        delivery.threadId().toString(),
        delivery.status().wireName(),
        delivery.attempts(),
        UtcTimestamp.format(delivery.lastAttemptAt()),
        delivery.responseStatus(),
        delivery.error());
  }
}
