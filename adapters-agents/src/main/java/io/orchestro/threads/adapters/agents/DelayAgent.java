package io.orchestro.threads.adapters.agents;

import io.orchestro.threads.application.port.out.Agent;
import io.orchestro.threads.application.port.out.AttemptParkedException;
import io.orchestro.threads.application.port.out.StepContext;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

/**
 * Waits {@code millis} milliseconds, then returns; stops at once when the attempt is cancelled.
 *
 * <p>A wait of {@link #PARK_FROM} or longer is parked: the step holds no running slot while it
 * waits, so a thousand threads waiting a day leave the node free for ready work. {@code
 * "hold_slot": true} waits in the slot instead, as a step that computes would (benchmarks of the
 * engine's own limits use it).
 */
public final class DelayAgent implements Agent {

  public static final String NAME = "delay";

  /** A year: longer is surely a mistake, and far from where a wait's arithmetic overflows. */
  static final long MAX_MILLIS = Duration.ofDays(365).toMillis();

  /** Shorter waits cost less in a slot than the write and the new claim that parking costs. */
  public static final Duration PARK_FROM = Duration.ofSeconds(5);

  private final Clock clock;

  public DelayAgent(Clock clock) {
    this.clock = clock;
  }

  public DelayAgent() {
    this(Clock.systemUTC());
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Map<String, Object> run(StepContext context) throws InterruptedException {
    long millis = millis(context.config());
    Map<String, Object> done = Map.of("waited_millis", millis);
    if (context.dueAt() != null) {
      // a parked wait resumed: done once its time has come; woken early, it waits on
      if (clock.instant().isBefore(context.dueAt())) {
        throw new AttemptParkedException(context.dueAt());
      }
      return done;
    }
    Duration wait = Duration.ofMillis(millis);
    if (wait.compareTo(PARK_FROM) >= 0 && !Configs.bool(context.config(), "hold_slot", false)) {
      throw new AttemptParkedException(clock.instant().plus(wait));
    }
    if (millis > 0 && context.cancellation().await(wait)) {
      throw new CancellationException("cancelled");
    }
    return done;
  }

  @Override
  public void checkConfig(Map<String, Object> config, List<String> earlierSteps) {
    millis(config);
    Configs.bool(config, "hold_slot", false);
  }

  private static long millis(Map<String, Object> config) {
    return Configs.longValue(config, "millis", 0, 0, MAX_MILLIS);
  }
}
