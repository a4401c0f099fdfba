package io.orchestro.threads.adapters.agents;

import io.orchestro.threads.domain.EgressPolicy;
import java.net.Proxy;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.time.Duration;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * The HTTP client of this module's outbound requests: the {@code http} agent's calls. It is built
 * here only, so that the {@link EgressPolicy} applies to all of them in one place: its name
 * resolver is the policy's, so a connection goes only to addresses the policy checked (a host that
 * resolves elsewhere a moment later, DNS rebinding, changes nothing). No proxy (a proxy would
 * resolve the host itself, past the policy), and no redirects: a redirect is an answer like any
 * other.
 *
 * <p>The {@code llm} agent's providers connect through Spring AI's clients (the {@code ollama}
 * kind's on {@link #jdkClient}, no redirects either); {@link #checkDestination} is their check
 * before each request ({@link LlmProviders}).
 */
public final class OutboundHttp {

  private final EgressPolicy egress;
  private final OkHttpClient client;
  private final HttpClient jdkClient;

  /**
   * @param connectTimeout how long to wait for a connection
   */
  public OutboundHttp(Duration connectTimeout, EgressPolicy egress) {
    this.egress = egress;
    Dispatcher dispatcher = new Dispatcher();
    // each step waits for its own call; OkHttp's default of 5 at a time per host would queue them
    dispatcher.setMaxRequests(Integer.MAX_VALUE);
    dispatcher.setMaxRequestsPerHost(Integer.MAX_VALUE);
    this.client =
        new OkHttpClient.Builder()
            .dns(egress::resolve)
            .proxy(Proxy.NO_PROXY)
            .followRedirects(false)
            .followSslRedirects(false)
            // a request the other side may have taken is never sent again behind the caller's
            // back: the webhook's backoff, or the step's retry policy, decides
            .retryOnConnectionFailure(false)
            .dispatcher(dispatcher)
            .connectTimeout(connectTimeout)
            // a step's own timeout bounds the whole exchange (the call's timeout), not each read
            .readTimeout(Duration.ZERO)
            .writeTimeout(Duration.ZERO)
            .build();
    this.jdkClient =
        HttpClient.newBuilder()
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  OkHttpClient client() {
    return client;
  }

  /** The {@code ollama} provider's client, under Spring's RestClient and WebClient. */
  HttpClient jdkClient() {
    return jdkClient;
  }

  EgressPolicy egress() {
    return egress;
  }

  /**
   * Refuses a destination the policy refuses now (what its host resolves to included).
   *
   * @throws EgressPolicy.RefusedDestinationException saying why
   * @throws UnknownHostException when its host does not resolve
   */
  void checkDestination(URI url) throws UnknownHostException {
    egress.checkUrl(url);
    egress.resolve(url.getHost());
  }
}
