package io.orchestro.threads.bootstrap;

import io.orchestro.threads.adapters.agents.LlmAgent;
import io.orchestro.threads.application.engine.ThreadLimits;
import io.orchestro.threads.application.port.out.Limit;
import io.orchestro.threads.application.port.out.LimitLeases;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The limits per agent and per workflow type that the engine keeps ({@link LimitsProperties}). */
@Configuration(proxyBeanMethods = false)
class LimitsConfiguration {

  /**
   * The configured limits. The {@code llm} agent always has one, unbounded unless configured: a
   * provider's 429 with {@code Retry-After} then holds every node's calls back until that time.
   *
   * @throws IllegalArgumentException at start-up for a limit that cannot be (a rate not written
   *     {@code PERMITS/PERIOD}, a negative maximum)
   */
  @Bean
  ThreadLimits threadLimits(LimitsProperties properties, LimitLeases leases) {
    Map<String, Limit> agents = limits(properties.agents(), Limit::agentKey);
    agents.putIfAbsent(LlmAgent.NAME, Limit.of(Limit.agentKey(LlmAgent.NAME), null, null));
    return new ThreadLimits(agents, limits(properties.workflows(), Limit::workflowKey), leases);
  }

  private static Map<String, Limit> limits(
      Map<String, LimitsProperties.Bounds> configured, Function<String, String> key) {
    Map<String, Limit> limits = new HashMap<>();
    configured.forEach(
        (name, bounds) ->
            limits.put(name, Limit.of(key.apply(name), bounds.maxConcurrency(), bounds.rate())));
    return limits;
  }
}
