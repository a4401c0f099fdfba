package io.orchestro.threads.adapters.agents;

import io.orchestro.threads.application.port.out.Agent;
import io.orchestro.threads.application.port.out.StepContext;
import java.util.List;
import java.util.Map;

/**
 * Fails with {@code message} while the attempt number is at most {@code times} (always, when {@code
 * times} is absent), then succeeds: for showing failure and retry.
 */
public final class FailAgent implements Agent {

  public static final String NAME = "fail";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Map<String, Object> run(StepContext context) {
    long times = times(context.config(), Long.MAX_VALUE);
    if (context.attempt() <= times) {
      throw new IllegalStateException(
          Configs.stringValue(context.config(), "message", "failed on purpose"));
    }
    return Map.of("succeeded_at_attempt", context.attempt());
  }

  @Override
  public void checkConfig(Map<String, Object> config, List<String> earlierSteps) {
    times(config, 0);
    Configs.stringValue(config, "message", "");
  }

  private static long times(Map<String, Object> config, long fallback) {
    // attempts are counted in an int
    return Configs.longValue(config, "times", fallback, 0, Integer.MAX_VALUE);
  }
}
