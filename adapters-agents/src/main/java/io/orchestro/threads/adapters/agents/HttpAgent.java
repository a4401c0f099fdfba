package io.orchestro.threads.adapters.agents;

import io.orchestro.threads.application.port.out.Agent;
import io.orchestro.threads.application.port.out.AttemptFailedException;
import io.orchestro.threads.application.port.out.StepContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Calls a service over HTTP (docs/api.md, "{@code http}: call a service"). Settings: {@code url},
 * {@code method} (default {@code POST}), {@code headers}, {@code body} (an object, rendered value
 * by value and sent as JSON; or a string, its placeholders escaped for JSON strings), {@code
 * timeout_millis} (the whole exchange, default 30 s). Every string is a template ({@link
 * Templates}).
 *
 * <p>A 2xx answer is the step's output: the body when it is a JSON object, else {@code {"status":
 * 200, "body": "..."}}. A body over {@value #MAX_RESPONSE_BYTES} bytes fails the attempt (reading
 * stops there). 408, 429, 5xx, a connection that fails and a timeout may pass on another attempt;
 * other statuses, redirects included (they are not followed), fail the thread at once. Secrets'
 * values are taken out of the output and of every error.
 */
public final class HttpAgent implements Agent {

  public static final String NAME = "http";
  static final int MAX_RESPONSE_BYTES = 1024 * 1024;
  static final long DEFAULT_TIMEOUT_MILLIS = 30_000;
  static final long MAX_TIMEOUT_MILLIS = Duration.ofHours(1).toMillis();
  private static final String[] METHODS = {"DELETE", "GET", "PATCH", "POST", "PUT"};
  private static final String WHO = "the service";

  private final JsonMapper json = JsonMapper.builder().build();
  private final OutboundHttp outbound;
  private final Templates templates;
  private final Secrets secrets;
  private final Clock clock;

  public HttpAgent(OutboundHttp outbound, Templates templates, Secrets secrets, Clock clock) {
    this.outbound = outbound;
    this.templates = templates;
    this.secrets = secrets;
    this.clock = clock;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void checkConfig(Map<String, Object> config, List<String> earlierSteps) {
    String url = Configs.requiredString(config, "url");
    templates.check("url", url, earlierSteps);
    if (!url.contains("{{")) {
      uri(url);
    }
    method(config);
    templates.check("headers", Configs.stringMap(config, "headers"), earlierSteps);
    Object body = config.get("body");
    if (body != null && !(body instanceof Map || body instanceof List || body instanceof String)) {
      throw new IllegalArgumentException("'body' must be an object, a list or a string");
    }
    templates.check("body", body, earlierSteps);
    timeout(config);
  }

  @Override
  public Map<String, Object> run(StepContext context) throws InterruptedException {
    Map<String, Object> config = context.config();
    Duration timeout = timeout(config);
    HttpRequest request = request(context, timeout);
    long deadline = System.nanoTime() + timeout.toNanos();
    CompletableFuture<HttpResponse<InputStream>> exchange =
        outbound.client().sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
    // a cancelled exchange is aborted: its connection is closed
    context.cancellation().onCancel(() -> exchange.cancel(true));
    HttpResponse<InputStream> response = awaitHeaders(exchange, context, deadline, timeout);
    byte[] body = readCapped(response.body(), context, deadline, timeout);
    return outcome(response.statusCode(), response.headers(), body);
  }

  private HttpRequest request(StepContext context, Duration timeout) {
    Map<String, Object> config = context.config();
    URI uri;
    try {
      uri = uri(templates.render(Configs.requiredString(config, "url"), context));
    } catch (IllegalArgumentException unusable) {
      throw AttemptFailedException.notRetryable(unusable.getMessage());
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", context.idempotencyKey());
    for (Map.Entry<String, String> header : Configs.stringMap(config, "headers").entrySet()) {
      try {
        request.setHeader(header.getKey(), templates.render(header.getValue(), context));
      } catch (IllegalArgumentException refused) {
        // the JDK names the header, never its value
        throw AttemptFailedException.notRetryable(
            "header '" + header.getKey() + "' cannot be sent: " + refused.getMessage());
      }
    }
    Object body = config.get("body");
    HttpRequest.BodyPublisher publisher =
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(renderBody(body, context));
    return request.method(method(config), publisher).build();
  }

  private String renderBody(Object body, StepContext context) {
    return body instanceof String text
        ? templates.renderInsideJsonStrings(text, context)
        : json.writeValueAsString(templates.renderValues(body, context));
  }

  private HttpResponse<InputStream> awaitHeaders(
      CompletableFuture<HttpResponse<InputStream>> exchange,
      StepContext context,
      long deadline,
      Duration timeout)
      throws InterruptedException {
    try {
      return exchange.get(Math.max(deadline - System.nanoTime(), 0), TimeUnit.NANOSECONDS);
    } catch (TimeoutException tooSlow) {
      exchange.cancel(true);
      throw timedOut(timeout);
    } catch (ExecutionException failed) {
      if (context.cancellation().isCancelled()) {
        throw new CancellationException("cancelled");
      }
      Throwable cause = failed.getCause();
      if (cause instanceof HttpTimeoutException) {
        throw timedOut(timeout);
      }
      if (cause instanceof IOException unreachable) {
        throw AttemptFailedException.retryable(
            secrets.redact("the request failed: " + describe(unreachable)));
      }
      throw new IllegalStateException(secrets.redact(describe(cause)), cause);
    } catch (InterruptedException stopping) {
      exchange.cancel(true);
      throw stopping;
    }
  }

  /** Reads at most one byte more than the cap: enough to know the body is too big. */
  private byte[] readCapped(
      InputStream stream, StepContext context, long deadline, Duration timeout) {
    AtomicBoolean timedOut = new AtomicBoolean();
    // the whole exchange has one deadline, and a cancellation aborts the reading too
    CompletableFuture<Void> watchdog =
        CompletableFuture.runAsync(
            () -> {
              timedOut.set(true);
              closeQuietly(stream);
            },
            CompletableFuture.delayedExecutor(
                Math.max(deadline - System.nanoTime(), 0), TimeUnit.NANOSECONDS));
    context.cancellation().onCancel(() -> closeQuietly(stream));
    try (stream) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      byte[] chunk = new byte[8192];
      int read;
      while ((read = stream.read(chunk)) != -1) {
        body.write(chunk, 0, read);
        if (body.size() > MAX_RESPONSE_BYTES) {
          throw AttemptFailedException.retryable(
              "the response is larger than " + MAX_RESPONSE_BYTES + " bytes");
        }
      }
      return body.toByteArray();
    } catch (IOException broken) {
      if (context.cancellation().isCancelled()) {
        throw new CancellationException("cancelled");
      }
      if (timedOut.get()) {
        throw timedOut(timeout);
      }
      throw AttemptFailedException.retryable(
          secrets.redact("reading the response failed: " + describe(broken)));
    } finally {
      watchdog.cancel(false);
    }
  }

  private Map<String, Object> outcome(int status, HttpHeaders headers, byte[] bytes) {
    String body = secrets.redact(new String(bytes, StandardCharsets.UTF_8));
    if (status / 100 != 2) {
      String redirect =
          status / 100 == 3
              ? " (redirects are not followed; Location: "
                  + secrets.redact(headers.firstValue("Location").orElse("none"))
                  + ")"
              : "";
      throw FailedStatus.of(
          WHO + redirect, status, body, headers.firstValue("Retry-After").orElse(null), clock);
    }
    try {
      Object parsed = json.readValue(body, Object.class);
      if (parsed instanceof Map<?, ?> object) {
        Map<String, Object> output = new LinkedHashMap<>();
        object.forEach((key, value) -> output.put(String.valueOf(key), value));
        return output;
      }
    } catch (JacksonException notJson) {
      // not a JSON object: the output says what came back instead
    }
    Map<String, Object> output = new LinkedHashMap<>();
    output.put("status", status);
    output.put("body", body);
    return output;
  }

  private static String method(Map<String, Object> config) {
    return Configs.oneOf(config, "method", "POST", METHODS);
  }

  private static Duration timeout(Map<String, Object> config) {
    return Duration.ofMillis(
        Configs.longValue(config, "timeout_millis", DEFAULT_TIMEOUT_MILLIS, 1, MAX_TIMEOUT_MILLIS));
  }

  private static URI uri(String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException malformed) {
      throw new IllegalArgumentException("'url' is not a URL: " + malformed.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new IllegalArgumentException("'url' must be an http or https URL with a host");
    }
    return uri;
  }

  private static AttemptFailedException timedOut(Duration timeout) {
    return AttemptFailedException.retryable(
        "the service did not answer within " + timeout.toMillis() + " ms");
  }

  private static String describe(Throwable failure) {
    String reason = failure.getMessage();
    return failure.getClass().getSimpleName() + (reason == null ? "" : ": " + reason);
  }

  private static void closeQuietly(InputStream stream) {
    try {
      stream.close();
    } catch (IOException alreadyBroken) {
      // closing is all that was wanted
    }
  }
}
