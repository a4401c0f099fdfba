package io.orchestro.threads.application.service;

import io.orchestro.threads.application.agent.Agents;
import io.orchestro.threads.application.port.in.GetWorkflowUseCase;
import io.orchestro.threads.application.port.in.ListWorkflowsUseCase;
import io.orchestro.threads.application.port.in.PutWorkflowUseCase;
import io.orchestro.threads.application.port.in.UnknownWorkflowTypeException;
import io.orchestro.threads.application.port.in.WorkflowNotFoundException;
import io.orchestro.threads.application.port.out.Agent;
import io.orchestro.threads.application.port.out.DuplicateWorkflowVersionException;
import io.orchestro.threads.application.port.out.WorkflowCatalog;
import io.orchestro.threads.domain.InvalidWorkflowDefinitionException;
import io.orchestro.threads.domain.StepDefinition;
import io.orchestro.threads.domain.ThreadRequest;
import io.orchestro.threads.domain.WorkflowDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Workflow definitions: storing new versions, reading them, and choosing one for a new thread. */
public final class WorkflowService
    implements PutWorkflowUseCase, ListWorkflowsUseCase, GetWorkflowUseCase {

  /** Two writers racing for the same next version is rare; a few rounds always settle it. */
  private static final int MAX_VERSION_RACES = 5;

  private final WorkflowCatalog catalog;
  private final Agents agents;

  public WorkflowService(WorkflowCatalog catalog, Agents agents) {
    this.catalog = catalog;
    this.agents = agents;
  }

  @Override
  public PutWorkflowResult put(PutWorkflowCommand command) {
    for (int round = 1; ; round++) {
      Optional<WorkflowDefinition> latest = catalog.latest(command.type());
      int version = latest.map(WorkflowDefinition::version).orElse(0) + 1;
      WorkflowDefinition definition =
          new WorkflowDefinition(
              command.type(), version, command.description(), command.keywords(), command.steps());
      check(definition);
      if (latest.isPresent() && latest.get().sameContentAs(definition)) {
        return new PutWorkflowResult(latest.get(), false);
      }
      try {
        catalog.add(definition);
        return new PutWorkflowResult(definition, latest.isEmpty());
      } catch (DuplicateWorkflowVersionException raced) {
        if (round == MAX_VERSION_RACES) {
          throw raced;
        }
      }
    }
  }

  @Override
  public List<WorkflowDefinition> list() {
    return catalog.latestOfEach();
  }

  @Override
  public WorkflowDefinition get(String type) {
    return catalog.latest(type).orElseThrow(() -> new WorkflowNotFoundException(type));
  }

  /** Stores each built-in definition whose type the catalog does not have yet. */
  public void installBuiltIns(List<WorkflowDefinition> builtIns) {
    for (WorkflowDefinition builtIn : builtIns) {
      check(builtIn);
      if (catalog.latest(builtIn.type()).isEmpty()) {
        try {
          catalog.add(builtIn.withVersion(1));
        } catch (DuplicateWorkflowVersionException anotherNodeWasFirst) {
          // another node installed it at the same moment: that is just as good
        }
      }
    }
  }

  /**
   * The definition a new thread uses: the type it names, else the one its prompt's keywords select,
   * else the default workflow.
   *
   * @throws UnknownWorkflowTypeException when the named type (or the default) has no definition
   */
  WorkflowDefinition definitionFor(ThreadRequest request) {
    if (request.workflowType() != null) {
      return catalog
          .latest(request.workflowType())
          .orElseThrow(() -> new UnknownWorkflowTypeException(request.workflowType()));
    }
    return WorkflowDefinition.bestMatch(catalog.latestOfEach(), request.prompt())
        .or(() -> catalog.latest(WorkflowDefinition.DEFAULT_TYPE))
        .orElseThrow(() -> new UnknownWorkflowTypeException(WorkflowDefinition.DEFAULT_TYPE));
  }

  private void check(WorkflowDefinition definition) {
    definition.requireKnownAgents(agents.names());
    List<String> earlierSteps = new ArrayList<>();
    for (StepDefinition step : definition.steps()) {
      Agent agent = agents.find(step.agent()).orElseThrow();
      try {
        agent.checkConfig(step.config(), List.copyOf(earlierSteps));
      } catch (IllegalArgumentException badConfig) {
        throw new InvalidWorkflowDefinitionException(
            "step '" + step.name() + "': " + badConfig.getMessage());
      }
      earlierSteps.add(step.name());
    }
  }
}
