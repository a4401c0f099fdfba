package io.orchestro.threads.bootstrap;

import java.util.Map;
import java.util.function.BooleanSupplier;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Liveness: the service's background loops still run (the engine's dispatcher, the event numbering,
 * the event broadcaster, the webhook dispatcher). Each survives a failed round; one that died all
 * the same (an {@link Error}) never comes back, and only a restart helps: liveness says so.
 */
final class LoopsHealthIndicator extends AbstractHealthIndicator {

  private final Map<String, BooleanSupplier> loops;

  /**
   * @param loops each loop's name and whether it is alive
   */
  LoopsHealthIndicator(Map<String, BooleanSupplier> loops) {
    super("the background loops could not be checked");
    this.loops = Map.copyOf(loops);
  }

  @Override
  protected void doHealthCheck(Health.Builder health) {
    health.up();
    loops.forEach(
        (name, alive) -> {
          boolean isAlive = alive.getAsBoolean();
          health.withDetail(name, isAlive ? "running" : "dead");
          if (!isAlive) {
            health.down();
          }
        });
  }
}
