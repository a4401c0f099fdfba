package io.orchestro.threads.bootstrap;

import static io.orchestro.threads.bootstrap.ApiClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Limits against abuse over real HTTP, set tight: a caller that creates threads or opens event
 * streams too fast, or holds too many streams open, gets a 429 problem with {@code Retry-After}
 * while other callers go on; a stream that closes frees its place.
 */
@SpringBootTest(
    classes = OrchestroThreadsApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:request-limits;DB_CLOSE_DELAY=-1",
      "orchestro.security.limits.create-threads=2/1h",
      "orchestro.security.limits.open-streams=100/1h",
      // a closed stream is noticed at its next write: a heartbeat soon
      "orchestro.events.heartbeat=200ms",
      "orchestro.security.limits.streams-per-caller=1",
      "orchestro.security.limits.streams-per-node=2"
    })
class RequestLimitsTest {

  private static final String[] KEYS = {"limits-key-a1", "limits-key-b2", "limits-key-c3"};

  @DynamicPropertySource
  static void apiKeys(DynamicPropertyRegistry registry) {
    for (int i = 0; i < KEYS.length; i++) {
      ApiKeyAccessTest.configureKey(registry, i, KEYS[i], "operator", "owner-" + i);
    }
  }

  @LocalServerPort int port;

  private ApiClient as(int caller) {
    return new ApiClient(port).as(KEYS[caller]);
  }

  private SseClient stream(int caller) {
    return SseClient.openWith(URI.create("http://127.0.0.1:" + port + "/api/events"), KEYS[caller]);
  }

  @Test
  void creatingThreadsTooFastIsA429ForThatCallerOnly() {
    as(0).createThread("one", "general");
    as(0).createThread("two", "general");
    ApiClient.Reply third = as(0).post("/api/threads", "{\"prompt\":\"three\"}");
    assertProblem(third, 429);
    long retryAfter = Long.parseLong(third.raw().headers().firstValue("Retry-After").orElseThrow());
    assertThat(retryAfter).isBetween(1L, 3600L);
    assertProblem(as(0).post("/api/threads/batch", "{\"threads\":[{\"prompt\":\"b\"}]}"), 429);

    assertThat(as(1).createThread("someone else", "general")).isNotBlank();
  }

  @Test
  void openStreamsAreCappedPerCallerAndPerNode() {
    try (SseClient first = stream(1)) {
      assertThat(first.status()).isEqualTo(200);
      // one stream per caller
      try (SseClient second = stream(1)) {
        assertThat(second.status()).isEqualTo(429);
      }
      try (SseClient other = stream(2)) {
        assertThat(other.status()).isEqualTo(200);
        // two on the node: a third caller waits too
        ApiClient.Reply full = as(0).get("/api/events", "Accept", "text/event-stream");
        assertProblem(full, 429);
        assertThat(full.raw().headers().firstValue("Retry-After")).isPresent();
      }
    }
    // closed streams free their places (the server notices the client leaving)
    await()
        .untilAsserted(
            () -> {
              try (SseClient again = stream(2)) {
                assertThat(again.status()).isEqualTo(200);
              }
            });
  }
}
