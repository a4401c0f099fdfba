package io.orchestro.threads.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orchestro.threads.application.service.EventBroadcaster;
import io.orchestro.threads.bootstrap.SseClient.Event;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A client that stops reading: once the events waiting for it fill its buffer, the server drops it,
 * so its memory stays bounded; the client then resumes with {@code Last-Event-ID} and gets exactly
 * what it missed. Small socket buffers on both sides make the server's writes block after a few
 * events, as they would for a client on a slow network.
 */
@SpringBootTest(
    classes = OrchestroThreadsApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:slow-client-test;DB_CLOSE_DELAY=-1",
      "orchestro.events.client-buffer=10"
    })
@Import(SlowEventClientTest.SmallSocketBuffers.class)
class SlowEventClientTest {

  private static final Pattern ID = Pattern.compile("^id:(\\d+)$", Pattern.MULTILINE);

  @LocalServerPort int port;
  @Autowired EventBroadcaster broadcaster;

  @TestConfiguration(proxyBeanMethods = false)
  static class SmallSocketBuffers {
    @Bean
    TomcatConnectorCustomizer smallSendBuffer() {
      return connector -> connector.setProperty("socket.txBufSize", "2048");
    }

    @Bean
    HeadersSeenByHandler headersSeenByHandler() {
      return new HeadersSeenByHandler();
    }
  }

  /** Answers which security header the answer already held when the handler ran. */
  @RestController
  static class HeadersSeenByHandler {
    @GetMapping("/test/headers-seen-by-handler")
    String seen(HttpServletResponse response) {
      return String.valueOf(response.getHeader("X-Frame-Options"));
    }
  }

  /**
   * The security headers are on the answer before the handler runs, not added after the filter
   * chain returns: an event stream's answer is by then written by the broadcaster's thread, and the
   * two threads writing Tomcat's headers at once failed the stream's request (seen in CI).
   */
  @Test
  void securityHeadersAreWrittenBeforeTheHandlerRuns() {
    ApiClient.Reply reply = new ApiClient(port).get("/test/headers-seen-by-handler");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.raw().body()).isEqualTo("DENY");
  }

  @Test
  void aClientThatStopsReadingIsDroppedAndResumesWithoutLosingAnEvent() throws Exception {
    ApiClient api = new ApiClient(port);
    int watchersBefore = broadcaster.watcherCount();
    List<Long> received = new ArrayList<>();
    try (Socket slow = new Socket()) {
      slow.setReceiveBufferSize(1024);
      slow.connect(new InetSocketAddress("127.0.0.1", port));
      slow.getOutputStream()
          .write(
              ("GET /api/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n"
                      + "Connection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      await().until(() -> broadcaster.watcherCount() == watchersBefore + 1);

      for (int i = 0; i < 40; i++) {
        api.post(
            "/api/threads", "{\"prompt\": \"flood " + i + "\", \"workflow_type\": \"general\"}");
      }

      // the server gave up on it: it no longer holds events for it
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> broadcaster.watcherCount() == watchersBefore);
      // reading again, the client gets what was on its way, then the end of the stream
      String stream = readToTheEnd(slow.getInputStream());
      Matcher ids = ID.matcher(stream);
      while (ids.find()) {
        received.add(Long.parseLong(ids.group(1)));
      }
      assertThat(stream).endsWith("0\r\n\r\n");
    }
    assertThat(received).isNotEmpty();
    long first = received.get(0);
    assertThat(received).containsExactly(numbers(first, received.size()));

    long last = received.get(received.size() - 1);
    try (SseClient resumed = SseClient.open(api.uri("/api/events"), last)) {
      Event next = resumed.next(Duration.ofSeconds(10));
      assertThat(next.id()).isEqualTo(last + 1);
    }
  }

  private static Long[] numbers(long first, int count) {
    Long[] numbers = new Long[count];
    for (int i = 0; i < count; i++) {
      numbers[i] = first + i;
    }
    return numbers;
  }

  private static String readToTheEnd(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    in.transferTo(all);
    return all.toString(StandardCharsets.UTF_8);
  }
}
