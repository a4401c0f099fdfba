package io.orchestro.threads.adapters.security;

import io.orchestro.threads.domain.Caller;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Applies {@link RequestLimits} once the caller is known: a request over a limit is a {@code 429}
 * problem with {@code Retry-After} (whole seconds), and nothing of it is done. An open stream
 * counts until its response completes, however it ends (the client leaving included).
 */
final class RequestLimitsFilter extends OncePerRequestFilter {

  private static final Pattern THREAD_EVENTS = Pattern.compile("/api/threads/[^/]+/events");

  /** A full cap frees up when some stream ends, which no one can tell in advance. */
  private static final int STREAM_CAP_RETRY_SECONDS = 5;

  private final RequestLimits limits;
  private final RateLimiter creates;
  private final RateLimiter streamOpens;
  private final AtomicInteger streamsOnNode = new AtomicInteger();
  private final Map<String, AtomicInteger> streamsPerCaller = new ConcurrentHashMap<>();

  RequestLimitsFilter(RequestLimits limits, LongSupplier nanoTime) {
    this.limits = limits;
    this.creates = new RateLimiter(limits.createThreads(), nanoTime);
    this.streamOpens = new RateLimiter(limits.openStreams(), nanoTime);
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String caller = limitedCaller();
    if (isCreate(request)) {
      if (caller != null && refused(creates.take(caller), "creating threads", response)) {
        return;
      }
      chain.doFilter(request, response);
    } else if (isEventStream(request)) {
      if (caller != null && refused(streamOpens.take(caller), "opening event streams", response)) {
        return;
      }
      openStream(caller, request, response, chain);
    } else {
      chain.doFilter(request, response);
    }
  }

  private void openStream(
      String caller, HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    AtomicInteger callersStreams =
        caller == null ? null : streamsPerCaller.computeIfAbsent(caller, k -> new AtomicInteger());
    if (callersStreams != null && callersStreams.incrementAndGet() > limits.streamsPerCaller()) {
      callersStreams.decrementAndGet();
      tooMany(
          response,
          STREAM_CAP_RETRY_SECONDS,
          "This credential already holds "
              + limits.streamsPerCaller()
              + " event streams open, the most it may; close one first.");
      return;
    }
    if (streamsOnNode.incrementAndGet() > limits.streamsPerNode()) {
      streamsOnNode.decrementAndGet();
      if (callersStreams != null) {
        callersStreams.decrementAndGet();
      }
      tooMany(
          response,
          STREAM_CAP_RETRY_SECONDS,
          "This node holds " + limits.streamsPerNode() + " event streams open, the most it may.");
      return;
    }
    AtomicBoolean released = new AtomicBoolean();
    Runnable release =
        () -> {
          if (released.compareAndSet(false, true)) {
            streamsOnNode.decrementAndGet();
            if (callersStreams != null) {
              callersStreams.decrementAndGet();
            }
          }
        };
    try {
      chain.doFilter(request, response);
    } finally {
      if (request.isAsyncStarted()) {
        request.getAsyncContext().addListener(new ReleaseWhenDone(release));
      } else {
        release.run();
      }
    }
  }

  /** The owner whose allowance a request uses; null for the local admin of protected mode. */
  private static String limitedCaller() {
    if (SecurityContextHolder.getContext().getAuthentication()
            instanceof CallerAuthentication authenticated
        && authenticated.caller() != null
        && !authenticated.caller().equals(Caller.LOCAL_ADMIN)) {
      return authenticated.caller().owner();
    }
    return null;
  }

  private static boolean isCreate(HttpServletRequest request) {
    String path = request.getRequestURI();
    return "POST".equals(request.getMethod())
        && (path.equals("/api/threads") || path.equals("/api/threads/batch"));
  }

  /** The stream of all events, or one thread's unless its history is asked for as JSON. */
  private static boolean isEventStream(HttpServletRequest request) {
    if (!"GET".equals(request.getMethod())) {
      return false;
    }
    String path = request.getRequestURI();
    if (path.equals("/api/events")) {
      return true;
    }
    String accept = request.getHeader(HttpHeaders.ACCEPT);
    return THREAD_EVENTS.matcher(path).matches()
        && (accept == null || !accept.contains("application/json"));
  }

  private static boolean refused(long waitNanos, String what, HttpServletResponse response)
      throws IOException {
    if (waitNanos == 0) {
      return false;
    }
    long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(waitNanos + 999_999_999L));
    tooMany(
        response,
        seconds,
        "Too many requests " + what + " with this credential: try again in " + seconds + " s.");
    return true;
  }

  private static void tooMany(HttpServletResponse response, long retryAfterSeconds, String detail)
      throws IOException {
    response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
    ProblemResponses.write(response, HttpStatus.TOO_MANY_REQUESTS, detail);
  }

  private record ReleaseWhenDone(Runnable release) implements AsyncListener {
    @Override
    public void onComplete(AsyncEvent event) {
      release.run();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      release.run();
    }

    @Override
    public void onError(AsyncEvent event) {
      release.run();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
      event.getAsyncContext().addListener(this); // a new async cycle drops the old listeners
    }
  }
}
