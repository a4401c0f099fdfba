package io.orchestro.threads.adapters.agents;

import java.net.http.HttpClient;
import java.time.Duration;

/**
 * The HTTP client of this module's outbound requests: the {@code http} agent's calls and the {@code
 * ollama} provider's. It is built here only, so that a policy on where requests may go applies to
 * all of them in one place. It follows no redirects: a redirect is an answer like any other.
 *
 * <p>The {@code openai} and {@code anthropic} providers connect through their SDKs' own OkHttp
 * clients, which Spring AI builds ({@link LlmProviders}); their builders take OkHttp interceptors.
 */
public final class OutboundHttp {

  private final HttpClient client;

  /**
   * @param connectTimeout how long to wait for a connection
   */
  public OutboundHttp(Duration connectTimeout) {
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  HttpClient client() {
    return client;
  }
}
