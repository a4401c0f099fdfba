package io.orchestro.threads.adapters.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.orchestro.threads.domain.ThreadEventType;
import io.orchestro.threads.domain.UtcTimestamp;
import io.orchestro.threads.domain.Webhook;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * A webhook as the API shows it: everything but its secret, which only the answer to its
 * registration shows.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
record WebhookResponse(
    @JsonProperty("webhook_id") String webhookId,
    String url,
    @JsonProperty("event_types") List<String> eventTypes,
    @JsonProperty("created_at") String createdAt,
    @JsonProperty("delivered_up_to") long deliveredUpTo,
    @JsonProperty("failed_attempts") int failedAttempts,
    @JsonProperty("next_attempt_at") String nextAttemptAt,
    @Schema(description = "False once its receiver failed for too long; POST .../enable")
        boolean enabled,
    @Schema(description = "Since when its attempts have failed in a row; null while they succeed")
        @JsonProperty("failing_since")
        String failingSince,
    @Schema(description = "When it was disabled; null while enabled") @JsonProperty("disabled_at")
        String disabledAt,
    @Schema(
            description =
                "The key of the deliveries' signatures: only in the answer to its registration,"
                    + " never again")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        String secret) {

  /** As it was registered: the secret shown, this once. */
  static WebhookResponse registered(Webhook webhook) {
    WebhookResponse shown = from(webhook);
    return new WebhookResponse(
        shown.webhookId,
        shown.url,
        shown.eventTypes,
        shown.createdAt,
        shown.deliveredUpTo,
        shown.failedAttempts,
        shown.nextAttemptAt,
        shown.enabled,
        shown.failingSince,
        shown.disabledAt,
        webhook.secret());
  }

  static WebhookResponse from(Webhook webhook) {
    return new WebhookResponse(
        webhook.id().toString(),
        webhook.url().toString(),
        webhook.eventTypes().stream().map(ThreadEventType::wireName).sorted().toList(),
        UtcTimestamp.format(webhook.createdAt()),
        webhook.deliveredUpTo(),
        webhook.failedAttempts(),
        UtcTimestamp.format(webhook.nextAttemptAt()),
        webhook.isEnabled(),
        UtcTimestamp.format(webhook.failingSince()),
        UtcTimestamp.format(webhook.disabledAt()),
        null);
  }
}
