package io.orchestro.threads.bootstrap;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code orchestro.limits.*}: limits on the attempts of an agent ({@code agents.NAME.*}) and of a
 * workflow type's threads ({@code workflows.TYPE.*}), held across every node sharing the database.
 *
 * @param agents by agent name
 * @param workflows by workflow type
 */
@ConfigurationProperties("orchestro.limits")
public record LimitsProperties(Map<String, Bounds> agents, Map<String, Bounds> workflows) {

  public LimitsProperties {
    agents = agents == null ? Map.of() : Map.copyOf(agents);
    workflows = workflows == null ? Map.of() : Map.copyOf(workflows);
  }

  /**
   * @param maxConcurrency the most attempts in flight at once; none when unset
   * @param rate the most attempts started per period, as {@code PERMITS/PERIOD} ({@code 60/1m},
   *     {@code 5/10s}, {@code 1000/h}); none when unset
   */
  public record Bounds(Integer maxConcurrency, String rate) {}
}
