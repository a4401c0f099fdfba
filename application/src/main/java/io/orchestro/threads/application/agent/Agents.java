package io.orchestro.threads.application.agent;

import io.orchestro.threads.application.port.out.Agent;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** The agents this service can run, by name. */
public final class Agents {

  private final Map<String, Agent> byName = new TreeMap<>();

  public Agents(List<Agent> agents) {
    for (Agent agent : agents) {
      if (byName.putIfAbsent(agent.name(), agent) != null) {
        throw new IllegalArgumentException("two agents are named '" + agent.name() + "'");
      }
    }
  }

  public Optional<Agent> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  public Set<String> names() {
    return byName.keySet();
  }
}
