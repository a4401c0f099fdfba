package io.orchestro.threads.adapters.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/** One {@link Rate} per caller: a token bucket each, kept in memory on this node. */
final class RateLimiter {

  private final Rate rate;
  private final LongSupplier nanoTime;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  RateLimiter(Rate rate, LongSupplier nanoTime) {
    this.rate = rate;
    this.nanoTime = nanoTime;
  }

  /**
   * Takes one request of the caller's allowance.
   *
   * @return 0 when the request may go on, otherwise how many nanoseconds until it could
   */
  long take(String caller) {
    return buckets.computeIfAbsent(caller, key -> new Bucket()).take(nanoTime.getAsLong());
  }

  private final class Bucket {
    private double tokens = rate.permits();
    private long refilledAt = nanoTime.getAsLong();

    synchronized long take(long now) {
      tokens = Math.min(rate.permits(), tokens + (now - refilledAt) * rate.permitsPerNano());
      refilledAt = now;
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return (long) Math.ceil((1 - tokens) / rate.permitsPerNano());
    }
  }
}
