package io.orchestro.threads.application.testing;

import io.orchestro.threads.application.port.out.Agent;
import io.orchestro.threads.application.port.out.StepContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test agent that counts its attempts in flight, keeps the most there ever were at once, and lets
 * each attempt finish only when the test releases one: what a limit on concurrency is measured
 * with.
 */
public final class InFlightAgent implements Agent {

  public static final String NAME = "in-flight";

  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger most = new AtomicInteger();
  private final AtomicInteger entered = new AtomicInteger();
  private final Semaphore releases = new Semaphore(0);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Map<String, Object> run(StepContext context) throws InterruptedException {
    int now = inFlight.incrementAndGet();
    entered.incrementAndGet();
    most.accumulateAndGet(now, Math::max);
    try {
      // wake up regularly to notice a cancellation, without busy waiting
      while (!releases.tryAcquire(10, TimeUnit.MILLISECONDS)) {
        if (context.cancellation().await(Duration.ofMillis(1))) {
          throw new IllegalStateException("cancelled");
        }
      }
      return Map.of("step", context.stepName());
    } finally {
      inFlight.decrementAndGet();
    }
  }

  /** Lets {@code attempts} attempts in flight (or to come) finish. */
  public void release(int attempts) {
    releases.release(attempts);
  }

  public int inFlight() {
    return inFlight.get();
  }

  /** The most attempts that were ever in flight at once. */
  public int most() {
    return most.get();
  }

  /** How many attempts have begun. */
  public int entered() {
    return entered.get();
  }
}
