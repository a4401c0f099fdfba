package io.orchestro.threads.adapters.rest;

import io.orchestro.threads.application.port.in.WebhooksUseCase;
import io.orchestro.threads.domain.ThreadEventType;
import io.orchestro.threads.domain.Webhook;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Webhooks: receivers that get threads' events POSTed to them, signed, at least once each and in
 * order, retried while they are down.
 */
@Tag(name = "Webhooks", description = "Have threads' events POSTed to a URL, signed")
@RestController
@RequestMapping(path = "/api/webhooks", produces = MediaType.APPLICATION_JSON_VALUE)
class WebhookController {

  private final WebhooksUseCase webhooks;

  WebhookController(WebhooksUseCase webhooks) {
    this.webhooks = webhooks;
  }

  @Operation(
      operationId = "registerWebhook",
      summary = "Register a webhook",
      description =
          "It gets the events committed from now on. Each delivery is a POST of the event (as in"
              + " the event streams) signed by the Standard Webhooks scheme: webhook-id (the"
              + " event's number), webhook-timestamp, webhook-signature: v1,<base64 HMAC-SHA256 of"
              + " id.timestamp.body, keyed with the secret>; also X-Orchestro-Event-Id and"
              + " X-Orchestro-Event-Type. The url must pass the egress policy: an address that is"
              + " not public (loopback, private, link-local, metadata) is a 400 unless"
              + " orchestro.egress.allow lists it. The answer shows the secret, this once.")
  @ApiResponse(
      responseCode = "201",
      description = "Registered; Location names the webhook; the answer holds the secret")
  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<WebhookResponse> register(@Valid @RequestBody WebhookRequest request) {
    Webhook webhook =
        webhooks.register(
            parseUrl(request.url()), parseTypes(request.eventTypes()), request.secret());
    return ResponseEntity.created(URI.create("/api/webhooks/" + webhook.id()))
        .body(WebhookResponse.registered(webhook));
  }

  @Operation(operationId = "listWebhooks", summary = "Every webhook, oldest first")
  @GetMapping
  List<WebhookResponse> list() {
    return webhooks.list().stream().map(WebhookResponse::from).toList();
  }

  @Operation(operationId = "getWebhook", summary = "One webhook and how far delivery has come")
  @GetMapping("/{id}")
  WebhookResponse get(@PathVariable UUID id) {
    return WebhookResponse.from(webhooks.get(id));
  }

  @Operation(operationId = "deleteWebhook", summary = "Stop delivering to a webhook and forget it")
  @ApiResponse(responseCode = "204", description = "Deleted")
  @DeleteMapping("/{id}")
  ResponseEntity<Void> delete(@PathVariable UUID id) {
    webhooks.delete(id);
    return ResponseEntity.noContent().build();
  }

  @Operation(
      operationId = "enableWebhook",
      summary = "Deliver to a webhook again after it was disabled",
      description =
          "A webhook whose receiver failed for orchestro.webhooks.disable-after (5 days by"
              + " default) is disabled: enabled: false, no more attempts. Enabling it tries the"
              + " event it stopped at at once, then the ones that waited. An enabled webhook is"
              + " left as it is.")
  @PostMapping("/{id}/enable")
  WebhookResponse enable(@PathVariable UUID id) {
    return WebhookResponse.from(webhooks.enable(id));
  }

  @Operation(
      operationId = "listWebhookDeliveries",
      summary = "A webhook's latest deliveries, newest event first",
      description =
          "status: delivered (the receiver answered 2xx), retrying (the last attempt failed;"
              + " the next one follows after a backoff that doubles each time) or disabled (the"
              + " last attempt failed and the webhook was disabled)")
  @GetMapping("/{id}/deliveries")
  List<WebhookDeliveryResponse> deliveries(
      @PathVariable UUID id,
      @Parameter(description = "At most this many, 1 to " + WebhooksUseCase.MAX_DELIVERIES_LISTED)
          @RequestParam(defaultValue = "100")
          int limit) {
    return webhooks.deliveries(id, limit).stream().map(WebhookDeliveryResponse::from).toList();
  }

  private static URI parseUrl(String text) {
    try {
      return new URI(text.strip());
    } catch (URISyntaxException notAUrl) {
      throw new IllegalArgumentException("'" + text + "' is not a URL: " + notAUrl.getReason());
    }
  }

  private static Set<ThreadEventType> parseTypes(List<String> names) {
    Set<ThreadEventType> types = EnumSet.noneOf(ThreadEventType.class);
    if (names != null) {
      for (String name : names) {
        types.add(ThreadEventType.fromWireName(name));
      }
    }
    return types;
  }
}
