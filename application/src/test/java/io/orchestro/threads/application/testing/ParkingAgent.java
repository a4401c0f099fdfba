package io.orchestro.threads.application.testing;

import io.orchestro.threads.application.port.out.Agent;
import io.orchestro.threads.application.port.out.AttemptFailedException;
import io.orchestro.threads.application.port.out.AttemptParkedException;
import io.orchestro.threads.application.port.out.StepContext;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code park}: waits {@code millis} on the given clock without a slot (its attempt parked), as the
 * real {@code delay} does for long waits; resumed early, it parks again until its time. With {@code
 * "busy_seconds": n} its first attempt instead fails asking to be left alone n seconds, as a
 * callee's {@code Retry-After} does. Counts its calls.
 */
public final class ParkingAgent implements Agent {

  private final Clock clock;
  private final AtomicInteger calls = new AtomicInteger();

  public ParkingAgent(Clock clock) {
    this.clock = clock;
  }

  @Override
  public String name() {
    return "park";
  }

  public int calls() {
    return calls.get();
  }

  @Override
  public Map<String, Object> run(StepContext context) {
    calls.incrementAndGet();
    Object busy = context.config().get("busy_seconds");
    if (busy != null) {
      if (context.attempt() == 1) {
        throw AttemptFailedException.retryable(
            "busy", Duration.ofSeconds(((Number) busy).longValue()));
      }
      return Map.of("attempt", context.attempt());
    }
    long millis = ((Number) context.config().getOrDefault("millis", 0)).longValue();
    if (context.dueAt() == null) {
      throw new AttemptParkedException(clock.instant().plusMillis(millis));
    }
    if (clock.instant().isBefore(context.dueAt())) {
      throw new AttemptParkedException(context.dueAt());
    }
    return Map.of("waited_millis", millis);
  }
}
