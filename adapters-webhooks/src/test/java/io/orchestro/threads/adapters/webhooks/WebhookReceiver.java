package io.orchestro.threads.adapters.webhooks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A webhook receiver as a user would write one from the Standard Webhooks specification: the JDK's
 * HTTP server on a free local port, taking deliveries at {@code /hook}, checking each one's
 * signature with its own code (not the sender's) and secret, and answering with a status the test
 * chooses (204 unless told otherwise). It can be taken down and brought back on the same port, as a
 * receiver that is restarted.
 */
public final class WebhookReceiver implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * One delivery as the receiver saw it.
   *
   * @param headers each header's first value, by the name as the JDK's server spells it (first
   *     letter upper case, the rest lower case: {@code X-orchestro-event-id})
   * @param signatureValid whether one of {@code webhook-signature}'s {@code v1} signatures is the
   *     HMAC-SHA256 of {@code webhook-id.webhook-timestamp.body} keyed with the secret, and the
   *     timestamp within five minutes of now, as the specification asks receivers to check
   */
  public record Delivery(Map<String, String> headers, byte[] body, boolean signatureValid) {

    public String eventId() {
      return headers.get("X-orchestro-event-id");
    }

    public String eventType() {
      return headers.get("X-orchestro-event-type");
    }

    /** The body, parsed as JSON. */
    public JsonNode event() {
      return JSON.readTree(body);
    }
  }

  private volatile String secret;
  private final List<Delivery> deliveries = new ArrayList<>();
  private volatile int answer = 204;
  private HttpServer server;
  private int port;

  private WebhookReceiver(String secret) {
    this.secret = secret;
  }

  /** A receiver listening on a free port, checking signatures with {@code secret}. */
  public static WebhookReceiver start(String secret) {
    WebhookReceiver receiver = new WebhookReceiver(secret);
    receiver.listen(0);
    return receiver;
  }

  /** Checks signatures with this secret from now on: one the service generated, say. */
  public void useSecret(String newSecret) {
    secret = newSecret;
  }

  /** Where webhooks deliver to it. */
  public URI url() {
    return url("127.0.0.1");
  }

  /** Where webhooks deliver to it, the host written as given (a name that resolves to it). */
  public URI url(String host) {
    return URI.create("http://" + host + ":" + port + "/hook");
  }

  /** The status it answers from now on. */
  public void answer(int status) {
    answer = status;
  }

  /** Takes it down: connections to its port are refused until {@link #restart()}. */
  public synchronized void stop() {
    server.stop(0);
  }

  /** Listens again, on the same port. */
  public synchronized void restart() {
    listen(port);
  }

  /** The deliveries so far, oldest first. */
  public List<Delivery> deliveries() {
    synchronized (deliveries) {
      return List.copyOf(deliveries);
    }
  }

  public int count() {
    synchronized (deliveries) {
      return deliveries.size();
    }
  }

  /**
   * The Standard Webhooks signature of a message: base64 of HMAC-SHA256 over {@code
   * id.timestamp.body}, keyed with the base64 after {@code whsec_} (or a plain secret's bytes).
   */
  public String signature(String id, String timestamp, byte[] body) {
    byte[] key =
        secret.startsWith("whsec_")
            ? Base64.getDecoder().decode(secret.substring("whsec_".length()))
            : secret.getBytes(StandardCharsets.UTF_8);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] signed = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
      byte[] message = new byte[signed.length + body.length];
      System.arraycopy(signed, 0, message, 0, signed.length);
      System.arraycopy(body, 0, message, signed.length, body.length);
      return Base64.getEncoder().encodeToString(mac.doFinal(message));
    } catch (GeneralSecurityException everyJdkHasIt) {
      throw new IllegalStateException(everyJdkHasIt);
    }
  }

  @Override
  public synchronized void close() {
    server.stop(0);
  }

  private void listen(int onPort) {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", onPort), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/hook", this::receive);
    server.start();
    port = server.getAddress().getPort();
  }

  private void receive(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    Map<String, String> headers = new LinkedHashMap<>();
    exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.get(0)));
    boolean valid = verify(headers, body);
    synchronized (deliveries) {
      deliveries.add(new Delivery(headers, body, valid));
    }
    exchange.sendResponseHeaders(answer, -1);
    exchange.close();
  }

  private boolean verify(Map<String, String> headers, byte[] body) {
    String id = headers.get("Webhook-id");
    String timestamp = headers.get("Webhook-timestamp");
    String signatures = headers.get("Webhook-signature");
    if (id == null || timestamp == null || signatures == null) {
      return false;
    }
    long sentAt = Long.parseLong(timestamp);
    if (Math.abs(Instant.now().getEpochSecond() - sentAt) > 300) {
      return false;
    }
    byte[] expected = signature(id, timestamp, body).getBytes(StandardCharsets.US_ASCII);
    for (String versioned : signatures.split(" ")) {
      if (versioned.startsWith("v1,")
          && MessageDigest.isEqual(
              expected, versioned.substring(3).getBytes(StandardCharsets.US_ASCII))) {
        return true;
      }
    }
    return false;
  }
}
