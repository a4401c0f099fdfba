package io.orchestro.threads.adapters.agents;

import io.orchestro.threads.application.port.out.Agent;
import io.orchestro.threads.application.port.out.AttemptFailedException;
import io.orchestro.threads.application.port.out.StepContext;
import io.orchestro.threads.domain.EgressPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
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
 * other statuses, redirects included (they are not followed), fail the thread at once, and so does
 * a destination the egress policy refuses ({@link OutboundHttp}): no request is sent then. Secrets'
 * values are taken out of the output and of every error.
 */
public final class HttpAgent implements Agent {

  public static final String NAME = "http";
  static final int MAX_RESPONSE_BYTES = 1024 * 1024;
  static final long DEFAULT_TIMEOUT_MILLIS = 30_000;
  static final long MAX_TIMEOUT_MILLIS = Duration.ofHours(1).toMillis();
  private static final String[] METHODS = {"DELETE", "GET", "PATCH", "POST", "PUT"};
  private static final String WHO = "the service";
  private static final MediaType JSON_TYPE = MediaType.get("application/json");

  /** Headers the HTTP client writes itself: a step setting them would confuse the exchange. */
  private static final Set<String> RESTRICTED_HEADERS =
      Set.of("host", "content-length", "connection", "transfer-encoding", "upgrade", "expect");

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

  /** A pause gives the attempt up: the request is aborted, and resume asks again. */
  @Override
  public boolean stopsOnPause() {
    return true;
  }

  @Override
  public void checkConfig(Map<String, Object> config, List<String> earlierSteps) {
    String url = Configs.requiredString(config, "url");
    templates.check("url", url, earlierSteps);
    if (!url.contains("{{")) {
      outbound.egress().checkUrl(uri(url));
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
    Call call = outbound.client().newCall(request(context));
    // one deadline for the whole exchange: connecting, sending, waiting and reading the body
    call.timeout().timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    CompletableFuture<Response> headers = new CompletableFuture<>();
    // a cancelled call is aborted: its connection is closed, reading the body included
    context.cancellation().onCancel(call::cancel);
    call.enqueue(
        new Callback() {
          @Override
          public void onResponse(Call answered, Response response) {
            if (!headers.complete(response)) {
              response.close();
            }
          }

          @Override
          public void onFailure(Call failed, IOException failure) {
            headers.completeExceptionally(failure);
          }
        });
    try (Response response = awaitHeaders(headers, call, context, timeout)) {
      byte[] body = readCapped(response.body(), call, context, timeout);
      return outcome(response.code(), response, body);
    }
  }

  private Request request(StepContext context) {
    Map<String, Object> config = context.config();
    URI uri;
    try {
      uri = uri(templates.render(Configs.requiredString(config, "url"), context));
      outbound.egress().checkUrl(uri);
    } catch (IllegalArgumentException unusable) {
      throw AttemptFailedException.notRetryable(secrets.redact(unusable.getMessage()));
    }
    Request.Builder request =
        new Request.Builder()
            .url(uri.toString())
            .header("Content-Type", JSON_TYPE.toString())
            .header("Idempotency-Key", context.idempotencyKey());
    for (Map.Entry<String, String> header : Configs.stringMap(config, "headers").entrySet()) {
      String name = header.getKey();
      if (RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        throw AttemptFailedException.notRetryable(
            "header '" + name + "' cannot be sent: the client sets it");
      }
      try {
        request.header(name, templates.render(header.getValue(), context));
      } catch (IllegalArgumentException refused) {
        // OkHttp's message may quote the value, a secret perhaps: only the name is told
        throw AttemptFailedException.notRetryable(
            "header '"
                + name
                + "' cannot be sent: its name or value holds a character headers"
                + " cannot");
      }
    }
    Object body = config.get("body");
    String method = method(config);
    RequestBody content =
        body == null
            ? (method.equals("GET") ? null : RequestBody.create(new byte[0], JSON_TYPE))
            // bytes, so that the Content-Type stays as it is, without a charset added
            : RequestBody.create(
                renderBody(body, context).getBytes(StandardCharsets.UTF_8), JSON_TYPE);
    return request.method(method, content).build();
  }

  private String renderBody(Object body, StepContext context) {
    return body instanceof String text
        ? templates.renderInsideJsonStrings(text, context)
        : json.writeValueAsString(templates.renderValues(body, context));
  }

  private Response awaitHeaders(
      CompletableFuture<Response> headers, Call call, StepContext context, Duration timeout)
      throws InterruptedException {
    try {
      return headers.get();
    } catch (ExecutionException failed) {
      Throwable cause = failed.getCause();
      if (context.cancellation().isCancelled()) {
        throw new CancellationException("cancelled");
      }
      if (cause instanceof EgressPolicy.RefusedDestinationException refused) {
        // the destination will not pass on another attempt either
        throw AttemptFailedException.notRetryable(secrets.redact(refused.getMessage()));
      }
      if (call.isCanceled() || cause instanceof InterruptedIOException) {
        throw timedOut(timeout);
      }
      if (cause instanceof IOException unreachable) {
        throw AttemptFailedException.retryable(
            secrets.redact("the request failed: " + describe(unreachable)));
      }
      throw new IllegalStateException(secrets.redact(describe(cause)), cause);
    } catch (InterruptedException stopping) {
      call.cancel();
      throw stopping;
    }
  }

  /** Reads at most one byte more than the cap: enough to know the body is too big. */
  private byte[] readCapped(
      ResponseBody responseBody, Call call, StepContext context, Duration timeout) {
    try (InputStream stream = responseBody.byteStream()) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      byte[] chunk = new byte[8192];
      int read;
      while ((read = stream.read(chunk)) != -1) {
        body.write(chunk, 0, read);
        if (body.size() > MAX_RESPONSE_BYTES) {
          call.cancel();
          throw AttemptFailedException.retryable(
              "the response is larger than " + MAX_RESPONSE_BYTES + " bytes");
        }
      }
      return body.toByteArray();
    } catch (IOException broken) {
      if (context.cancellation().isCancelled()) {
        throw new CancellationException("cancelled");
      }
      if (call.isCanceled() || broken instanceof InterruptedIOException) {
        throw timedOut(timeout);
      }
      throw AttemptFailedException.retryable(
          secrets.redact("reading the response failed: " + describe(broken)));
    }
  }

  private Map<String, Object> outcome(int status, Response headers, byte[] bytes) {
    String body = secrets.redact(new String(bytes, StandardCharsets.UTF_8));
    if (status / 100 != 2) {
      String redirect =
          status / 100 == 3
              ? " (redirects are not followed; Location: "
                  + secrets.redact(Objects.requireNonNullElse(headers.header("Location"), "none"))
                  + ")"
              : "";
      throw FailedStatus.of(WHO + redirect, status, body, headers.header("Retry-After"), clock);
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
}
