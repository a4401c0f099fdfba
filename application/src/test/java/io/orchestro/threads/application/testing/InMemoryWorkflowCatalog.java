package io.orchestro.threads.application.testing;

import io.orchestro.threads.application.port.out.DuplicateWorkflowVersionException;
import io.orchestro.threads.application.port.out.WorkflowCatalog;
import io.orchestro.threads.domain.WorkflowDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/** Workflow definitions in memory, every version of each type, as the real catalogs keep them. */
public final class InMemoryWorkflowCatalog implements WorkflowCatalog {

  /** By type name, then by version: the orders the port promises. */
  private final NavigableMap<String, NavigableMap<Integer, WorkflowDefinition>> byType =
      new TreeMap<>();

  @Override
  public synchronized Optional<WorkflowDefinition> latest(String type) {
    return Optional.ofNullable(byType.get(type)).map(versions -> versions.lastEntry().getValue());
  }

  @Override
  public synchronized Optional<WorkflowDefinition> find(String type, int version) {
    return Optional.ofNullable(byType.get(type)).map(versions -> versions.get(version));
  }

  @Override
  public synchronized List<WorkflowDefinition> latestOfEach() {
    return byType.values().stream().map(versions -> versions.lastEntry().getValue()).toList();
  }

  @Override
  public synchronized List<WorkflowDefinition> all() {
    List<WorkflowDefinition> all = new ArrayList<>();
    byType.values().forEach(versions -> all.addAll(versions.values()));
    return all;
  }

  @Override
  public synchronized void add(WorkflowDefinition definition) {
    Map<Integer, WorkflowDefinition> versions =
        byType.computeIfAbsent(definition.type(), type -> new TreeMap<>());
    if (versions.putIfAbsent(definition.version(), definition) != null) {
      throw new DuplicateWorkflowVersionException(definition.type(), definition.version());
    }
  }
}
