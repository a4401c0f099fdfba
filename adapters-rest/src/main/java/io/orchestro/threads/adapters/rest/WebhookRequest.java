package io.orchestro.threads.adapters.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * {@code POST /api/webhooks}.
 *
 * @param eventTypes the event types to deliver; omitted or empty for every type
 */
record WebhookRequest(
    @Schema(description = "Absolute http or https URL the events are POSTed to")
        @NotBlank
        @Size(max = 2000)
        String url,
    @Schema(description = "Event types to deliver; omitted or empty for all")
        @JsonProperty("event_types")
        List<String> eventTypes,
    @Schema(
            description =
                "Key of the Standard Webhooks signature (webhook-signature), best whsec_ and the"
                    + " base64 of 24 to 64 random bytes; omitted for a new one, which the answer"
                    + " shows. Shown only in the answer to this request")
        @Size(max = 500)
        String secret) {}
