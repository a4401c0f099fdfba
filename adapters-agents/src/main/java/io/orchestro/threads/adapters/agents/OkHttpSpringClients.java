package io.orchestro.threads.adapters.agents;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.AbstractBufferingClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.reactive.AbstractClientHttpRequest;
import org.springframework.http.client.reactive.AbstractClientHttpResponse;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.util.LinkedMultiValueMap;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Spring's HTTP clients (RestClient's request factory, WebClient's connector) over an OkHttp
 * client. Spring ships neither for OkHttp; the {@code ollama} provider needs both, and its requests
 * must go through {@link OutboundHttp}'s client, whose connections go only to the addresses the
 * egress policy checked. Bodies are small JSON requests, so a request body is buffered; a response
 * body streams.
 */
final class OkHttpSpringClients {

  /** Headers OkHttp sets itself from the request: Spring's copies would disagree or repeat. */
  private static final Set<String> OWN_HEADERS =
      Set.of("host", "content-length", "transfer-encoding", "connection");

  private static final DataBufferFactory BUFFERS = DefaultDataBufferFactory.sharedInstance;

  private OkHttpSpringClients() {}

  /** RestClient's blocking requests, over {@code outbound}'s client. */
  static ClientHttpRequestFactory requestFactory(OutboundHttp outbound) {
    return (uri, method) -> new BlockingRequest(outbound, method, uri);
  }

  /**
   * WebClient's requests, over {@code outbound}'s client; cancelling the exchange cancels the call.
   */
  static ClientHttpConnector connector(OutboundHttp outbound) {
    return (method, uri, requestCallback) -> {
      ReactiveRequest request = new ReactiveRequest(outbound, method, uri);
      return requestCallback.apply(request).then(Mono.defer(request::send));
    };
  }

  /** The request, in the call group its headers name (see {@link OutboundHttp#inGroup}). */
  private static Request request(
      OutboundHttp outbound, HttpMethod method, URI uri, HttpHeaders headers, byte[] body)
      throws IOException {
    Request.Builder builder = new Request.Builder().url(uri.toString());
    headers.forEach(
        (name, values) -> {
          if (!OWN_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
            values.forEach(value -> builder.addHeader(name, value));
          }
        });
    MediaType type =
        headers.getContentType() == null
            ? null
            : MediaType.parse(headers.getContentType().toString());
    // OkHttp refuses a body on GET and HEAD, and requires one on POST, PUT and PATCH
    boolean bodiless = method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD);
    return outbound.inGroup(
        builder.method(method.name(), bodiless ? null : RequestBody.create(body, type)).build());
  }

  private static HttpHeaders headers(Headers okHeaders) {
    HttpHeaders headers = new HttpHeaders();
    for (String name : okHeaders.names()) {
      headers.addAll(name, okHeaders.values(name));
    }
    return headers;
  }

  private static final class BlockingRequest extends AbstractBufferingClientHttpRequest {

    private final OutboundHttp outbound;
    private final HttpMethod method;
    private final URI uri;

    BlockingRequest(OutboundHttp outbound, HttpMethod method, URI uri) {
      this.outbound = outbound;
      this.method = method;
      this.uri = uri;
    }

    @Override
    public HttpMethod getMethod() {
      return method;
    }

    @Override
    public URI getURI() {
      return uri;
    }

    @Override
    protected org.springframework.http.client.ClientHttpResponse executeInternal(
        HttpHeaders headers, byte[] body) throws IOException {
      Response response =
          outbound.client().newCall(request(outbound, method, uri, headers, body)).execute();
      return new BlockingResponse(response);
    }
  }

  private record BlockingResponse(Response response)
      implements org.springframework.http.client.ClientHttpResponse {

    @Override
    public HttpStatusCode getStatusCode() {
      return HttpStatusCode.valueOf(response.code());
    }

    @Override
    public String getStatusText() {
      return response.message();
    }

    @Override
    public HttpHeaders getHeaders() {
      return headers(response.headers());
    }

    @Override
    public InputStream getBody() {
      return response.body().byteStream();
    }

    @Override
    public void close() {
      response.close();
    }
  }

  private static final class ReactiveRequest extends AbstractClientHttpRequest {

    private final OutboundHttp outbound;
    private final HttpMethod method;
    private final URI uri;
    private byte[] body = new byte[0];

    ReactiveRequest(OutboundHttp outbound, HttpMethod method, URI uri) {
      this.outbound = outbound;
      this.method = method;
      this.uri = uri;
    }

    @Override
    public HttpMethod getMethod() {
      return method;
    }

    @Override
    public URI getURI() {
      return uri;
    }

    @Override
    public DataBufferFactory bufferFactory() {
      return BUFFERS;
    }

    @Override
    public <T> T getNativeRequest() {
      throw new UnsupportedOperationException("the OkHttp request is made when it is sent");
    }

    @Override
    public Mono<Void> writeWith(Publisher<? extends DataBuffer> chunks) {
      return doCommit(
          () ->
              DataBufferUtils.join(chunks)
                  .doOnNext(
                      joined -> {
                        byte[] bytes = new byte[joined.readableByteCount()];
                        joined.read(bytes);
                        DataBufferUtils.release(joined);
                        body = bytes;
                      })
                  .then());
    }

    @Override
    public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
      return writeWith(Flux.from(body).concatMap(Flux::from));
    }

    @Override
    public Mono<Void> setComplete() {
      return doCommit();
    }

    @Override
    protected void applyHeaders() {
      // read from getHeaders() when the call is made
    }

    @Override
    protected void applyCookies() {
      getCookies()
          .values()
          .forEach(
              cookies ->
                  cookies.forEach(
                      cookie -> getHeaders().add(HttpHeaders.COOKIE, cookie.toString())));
    }

    Mono<org.springframework.http.client.reactive.ClientHttpResponse> send() {
      return Mono.create(
          sink -> {
            Call call;
            try {
              call = outbound.client().newCall(request(outbound, method, uri, getHeaders(), body));
            } catch (IOException ended) {
              sink.error(ended);
              return;
            }
            sink.onCancel(call::cancel);
            call.enqueue(
                new Callback() {
                  @Override
                  public void onFailure(Call failed, IOException failure) {
                    sink.error(failure);
                  }

                  @Override
                  public void onResponse(Call answered, Response response) {
                    sink.success(new ReactiveResponse(answered, response));
                  }
                });
          });
    }
  }

  private static final class ReactiveResponse extends AbstractClientHttpResponse {

    ReactiveResponse(Call call, Response response) {
      super(
          HttpStatusCode.valueOf(response.code()),
          headers(response.headers()),
          new LinkedMultiValueMap<>(),
          // reading blocks, so not on the caller's thread; cancelling aborts the socket, which a
          // read blocked on a silent server would not notice otherwise
          DataBufferUtils.readInputStream(() -> response.body().byteStream(), BUFFERS, 8192)
              .subscribeOn(Schedulers.boundedElastic())
              .doOnCancel(call::cancel)
              .doFinally(signal -> response.close()));
    }
  }
}
