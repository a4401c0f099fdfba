package io.orchestro.threads.adapters.agents;

import io.orchestro.threads.domain.EgressPolicy;
import java.io.IOException;
import java.net.Proxy;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Dispatcher;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;

/**
 * The HTTP client of this module's outbound requests: the {@code http} agent's calls. It is built
 * here only, so that the {@link EgressPolicy} applies to all of them in one place: its name
 * resolver is the policy's, so a connection goes only to addresses the policy checked (a host that
 * resolves elsewhere a moment later, DNS rebinding, changes nothing). No proxy (a proxy would
 * resolve the host itself, past the policy), and no redirects: a redirect is an answer like any
 * other.
 *
 * <p>The {@code llm} agent's providers connect through this client too: the OpenAI and Anthropic
 * SDKs' own OkHttp clients hand each request to it ({@link #sendThroughThisClient}), and the {@code
 * ollama} kind's Spring clients run on it ({@link OkHttpSpringClients}).
 */
public final class OutboundHttp {

  private final EgressPolicy egress;
  private final OkHttpClient client;

  /** One thread for every {@link CancellationWatch}: each look is a field read. */
  private static final ScheduledExecutorService watcher =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "outbound-cancellation-watch");
            thread.setDaemon(true);
            return thread;
          });

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
  }

  OkHttpClient client() {
    return client;
  }

  /**
   * An interceptor for another OkHttp client (an SDK's, which takes no name resolver) that sends
   * each request through this client instead of its own, so that its connections too go only to
   * checked addresses. It never proceeds down the other client's chain: that client connects
   * nowhere, follows no redirect and retries nothing. The other call's timeout carries over, and so
   * does its cancellation, which would otherwise reach no connection: it is looked for every 100
   * milliseconds until the answer's body is closed.
   */
  Interceptor sendThroughThisClient() {
    return chain -> {
      Call outer = chain.call();
      Call inner = client.newCall(chain.request());
      inner.timeout().timeout(outer.timeout().timeoutNanos(), TimeUnit.NANOSECONDS);
      CancellationWatch watch = new CancellationWatch(outer, inner);
      try {
        Response response = inner.execute();
        ResponseBody body = response.body();
        BufferedSource closingWatch =
            Okio.buffer(
                new ForwardingSource(body.source()) {
                  @Override
                  public void close() throws IOException {
                    watch.stop();
                    super.close();
                  }
                });
        return response
            .newBuilder()
            .body(ResponseBody.create(closingWatch, body.contentType(), body.contentLength()))
            .build();
      } catch (IOException | RuntimeException failed) {
        watch.stop();
        throw failed;
      }
    };
  }

  /** Cancels a call of this client when the other client's call it stands for is cancelled. */
  private final class CancellationWatch implements Runnable {
    private final Call outer;
    private final Call inner;
    private final ScheduledFuture<?> looking;

    CancellationWatch(Call outer, Call inner) {
      this.outer = outer;
      this.inner = inner;
      this.looking = watcher.scheduleWithFixedDelay(this, 100, 100, TimeUnit.MILLISECONDS);
    }

    @Override
    public void run() {
      if (outer.isCanceled()) {
        inner.cancel();
        stop();
      }
    }

    void stop() {
      looking.cancel(false);
    }
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
