package io.orchestro.threads.application.service;

import io.orchestro.threads.application.port.out.WorkflowCatalog;
import io.orchestro.threads.domain.WorkflowDefinition;
import java.util.List;
import java.util.Optional;

/** A catalog where another writer adds the same version just before each of the first adds. */
final class RacedCatalog implements WorkflowCatalog {

  private final WorkflowCatalog catalog;
  private int racesLeft;

  RacedCatalog(WorkflowCatalog catalog, int races) {
    this.catalog = catalog;
    this.racesLeft = races;
  }

  @Override
  public void add(WorkflowDefinition definition) {
    if (racesLeft > 0) {
      racesLeft--;
      catalog.add(
          new WorkflowDefinition(
              definition.type(),
              definition.version(),
              "the other writer",
              definition.keywords(),
              definition.steps()));
    }
    catalog.add(definition);
  }

  @Override
  public Optional<WorkflowDefinition> latest(String type) {
    return catalog.latest(type);
  }

  @Override
  public Optional<WorkflowDefinition> find(String type, int version) {
    return catalog.find(type, version);
  }

  @Override
  public List<WorkflowDefinition> latestOfEach() {
    return catalog.latestOfEach();
  }

  @Override
  public List<WorkflowDefinition> all() {
    return catalog.all();
  }
}
