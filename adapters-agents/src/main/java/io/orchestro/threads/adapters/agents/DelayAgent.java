package io.orchestro.threads.adapters.agents;

import io.orchestro.threads.application.port.out.Agent;
import io.orchestro.threads.application.port.out.StepContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

/** Waits {@code millis} milliseconds, then returns; stops at once when the attempt is cancelled. */
public final class DelayAgent implements Agent {

  public static final String NAME = "delay";

  /** A year: longer is surely a mistake, and far from where a wait's arithmetic overflows. */
  static final long MAX_MILLIS = Duration.ofDays(365).toMillis();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Map<String, Object> run(StepContext context) throws InterruptedException {
    long millis = millis(context.config());
    if (millis > 0 && context.cancellation().await(Duration.ofMillis(millis))) {
      throw new CancellationException("cancelled");
    }
    return Map.of("waited_millis", millis);
  }

  @Override
  public void checkConfig(Map<String, Object> config, List<String> earlierSteps) {
    millis(config);
  }

  private static long millis(Map<String, Object> config) {
    return Configs.longValue(config, "millis", 0, 0, MAX_MILLIS);
  }
}
