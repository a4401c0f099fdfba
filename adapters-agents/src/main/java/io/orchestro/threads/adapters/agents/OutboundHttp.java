package io.orchestro.threads.adapters.agents;

import io.orchestro.threads.domain.EgressPolicy;
import java.io.IOException;
import java.net.Proxy;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Dispatcher;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

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

  /**
   * The header by which an SDK's or Spring's request names its {@link CallGroup}: turned into the
   * request's tag by {@link #sendThroughThisClient} and {@link OkHttpSpringClients} (never by the
   * {@code http} agent's requests), and taken off, so it never leaves this machine.
   */
  static final String CALL_GROUP_HEADER = "X-Orchestro-Call-Group";

  private final Map<String, CallGroup> groups = new ConcurrentHashMap<>();

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
            .addInterceptor(this::joinGroup)
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
   * nowhere, follows no redirect and retries nothing. The other call's timeout carries over. Its
   * cancellation does not, nor need it: the SDKs leave a streamed answer's call running when its
   * reader gives up, so a caller cancels through a {@link CallGroup} instead.
   */
  Interceptor sendThroughThisClient() {
    return chain -> {
      Call inner = client.newCall(inGroup(chain.request()));
      inner.timeout().timeout(chain.call().timeout().timeoutNanos(), TimeUnit.NANOSECONDS);
      return inner.execute();
    };
  }

  /**
   * A new group of calls, for cancelling at once every call of this client made for one piece of
   * work (an attempt of a step) through layers that cannot cancel them themselves: the Spring AI
   * models give up reading a streamed answer when their subscriber goes, but leave its call, its
   * connection and a thread reading it. Requests join the group by its {@link CallGroup#tag()} in
   * the {@link #CALL_GROUP_HEADER} header.
   */
  CallGroup newCallGroup() {
    CallGroup group = new CallGroup(UUID.randomUUID().toString());
    groups.put(group.tag, group);
    return group;
  }

  /**
   * The request, for this client, with the group its {@link #CALL_GROUP_HEADER} names as its tag
   * instead.
   *
   * @throws IOException when the group has ended: a call its work no longer waits for is not made
   */
  Request inGroup(Request request) throws IOException {
    String tag = request.header(CALL_GROUP_HEADER);
    if (tag == null) {
      return request;
    }
    CallGroup group = groups.get(tag);
    if (group == null) {
      throw new IOException("Canceled: the work this request was made for has ended");
    }
    return request.newBuilder().removeHeader(CALL_GROUP_HEADER).tag(CallGroup.class, group).build();
  }

  /** Puts a call whose request is tagged with a group into it, unless the group has ended. */
  private Response joinGroup(Interceptor.Chain chain) throws IOException {
    CallGroup group = chain.request().tag(CallGroup.class);
    if (group != null && !group.add(chain.call())) {
      throw new IOException("Canceled: the work this request was made for has ended");
    }
    return chain.proceed(chain.request());
  }

  /** The calls made for one piece of work; see {@link #newCallGroup}. */
  final class CallGroup implements AutoCloseable {

    private final String tag;
    private final List<Call> calls = new ArrayList<>();
    private boolean ended;

    private CallGroup(String tag) {
      this.tag = tag;
    }

    /** What a request carries in {@link #CALL_GROUP_HEADER} to join this group. */
    String tag() {
      return tag;
    }

    private synchronized boolean add(Call call) {
      if (!ended) {
        calls.add(call);
      }
      return !ended;
    }

    /**
     * Cancels every call of the group, which closes its connection and fails a read blocked on it,
     * and any call that tries to join it later.
     */
    void cancel() {
      List<Call> made;
      synchronized (this) {
        ended = true;
        made = List.copyOf(calls);
        calls.clear();
      }
      groups.remove(tag);
      made.forEach(Call::cancel);
    }

    /**
     * The work is over: no call joins the group any more; those made are left to finish, unless the
     * group is cancelled still.
     */
    @Override
    public void close() {
      synchronized (this) {
        ended = true;
      }
      groups.remove(tag);
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
