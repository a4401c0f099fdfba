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
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A webhook receiver as a user would write one from the documentation: the JDK's HTTP server on a
 * free local port, taking deliveries at {@code /hook}, checking each one's signature with its own
 * secret and answering with a status the test chooses (204 unless told otherwise). It can be taken
 * down and brought back on the same port, as a receiver that is restarted.
 */
public final class WebhookReceiver implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * One delivery as the receiver saw it.
   *
   * @param headers each header's first value, by the name as the JDK's server spells it (first
   *     letter upper case, the rest lower case: {@code X-orchestro-event-id})
   * @param signatureValid whether {@code X-Orchestro-Signature} is the body's HMAC with the secret
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

  private final String secret;
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

  /** Where webhooks deliver to it. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + port + "/hook");
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

  /** The signature's value for this body: hex of its HMAC-SHA256 keyed with the secret. */
  public String hmac(byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body));
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
    String signature = String.valueOf(headers.get("X-orchestro-signature"));
    boolean valid =
        MessageDigest.isEqual(
            ("sha256=" + hmac(body)).getBytes(StandardCharsets.US_ASCII),
            signature.getBytes(StandardCharsets.US_ASCII));
    synchronized (deliveries) {
      deliveries.add(new Delivery(headers, body, valid));
    }
    exchange.sendResponseHeaders(answer, -1);
    exchange.close();
  }
}
