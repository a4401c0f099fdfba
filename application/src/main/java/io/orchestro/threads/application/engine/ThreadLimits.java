package io.orchestro.threads.application.engine;

import io.orchestro.threads.application.port.out.Limit;
import io.orchestro.threads.application.port.out.LimitLeases;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The limits configured per agent and per workflow type, and where the places under them are kept.
 *
 * @param agents by agent name
 * @param workflows by workflow type
 */
public record ThreadLimits(
    Map<String, Limit> agents, Map<String, Limit> workflows, LimitLeases leases) {

  /** No limits at all: nothing is ever held back, and the store is never asked. */
  public static final ThreadLimits NONE =
      new ThreadLimits(Map.of(), Map.of(), new InProcessLimitLeases());

  public ThreadLimits {
    agents = Map.copyOf(agents);
    workflows = Map.copyOf(workflows);
    Objects.requireNonNull(leases, "leases");
  }

  /** The limits an attempt of {@code agent} in a thread of {@code workflowType} is under. */
  List<Limit> of(String agent, String workflowType) {
    List<Limit> limits = new ArrayList<>(2);
    Limit byAgent = agents.get(agent);
    if (byAgent != null) {
      limits.add(byAgent);
    }
    Limit byWorkflow = workflows.get(workflowType);
    if (byWorkflow != null) {
      limits.add(byWorkflow);
    }
    limits.sort(Comparator.comparing(Limit::key));
    return limits;
  }

  boolean isEmpty() {
    return agents.isEmpty() && workflows.isEmpty();
  }
}
