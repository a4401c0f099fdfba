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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Workflow definitions: storing new versions, reading them, and choosing one for a new thread. */
public final class WorkflowService
    implements PutWorkflowUseCase, ListWorkflowsUseCase, GetWorkflowUseCase {

  /** Two writers racing for the same next version is rare; a few rounds always settle it. */
  private static final int MAX_VERSION_RACES = 5;

  /**
   * How long new threads may be given the newest definitions as read before: a PUT on this node
   * shows at once, one on another node sharing the database within this time. A type this copy
   * lacks is always looked up in the catalog, so a type just added elsewhere is never refused.
   */
  static final Duration NEWEST_FRESH_FOR = Duration.ofSeconds(1);

  private final WorkflowCatalog catalog;
  private final Agents agents;
  private final Clock clock;

  /** The newest version of every type, as read at a time; null until read, or after a change. */
  private volatile NewestDefinitions newest;

  private record NewestDefinitions(
      List<WorkflowDefinition> ofEach, Map<String, WorkflowDefinition> byType, Instant readAt) {}

  public WorkflowService(WorkflowCatalog catalog, Agents agents, Clock clock) {
    this.catalog = catalog;
    this.agents = agents;
    this.clock = clock;
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
        newest = null;
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

  /**
   * Stores each built-in definition whose type the catalog does not have yet, and as a new version
   * where the newest is still the demonstration that an installation without a language model got
   * ({@link BuiltInWorkflows#all()}) and {@code builtIns} differ from it: a model configured later
   * makes them real. A version of one's own is never replaced.
   */
  public void installBuiltIns(List<WorkflowDefinition> builtIns) {
    for (WorkflowDefinition builtIn : builtIns) {
      check(builtIn);
      WorkflowDefinition latest = catalog.latest(builtIn.type()).orElse(null);
      int version;
      if (latest == null) {
        version = 1;
      } else if (!latest.sameContentAs(builtIn) && isDemonstration(latest)) {
        version = latest.version() + 1;
      } else {
        continue;
      }
      try {
        catalog.add(builtIn.withVersion(version));
      } catch (DuplicateWorkflowVersionException anotherNodeWasFirst) {
        // another node installed it at the same moment: that is just as good
      }
    }
    newest = null;
  }

  private static boolean isDemonstration(WorkflowDefinition stored) {
    return BuiltInWorkflows.all().stream().anyMatch(stored::sameContentAs);
  }

  /**
   * The definition a new thread uses: the type it names, else the one its prompt's keywords select,
   * else the default workflow.
   *
   * @throws UnknownWorkflowTypeException when the named type (or the default) has no definition
   */
  WorkflowDefinition definitionFor(ThreadRequest request) {
    NewestDefinitions known = newestDefinitions();
    if (request.workflowType() != null) {
      WorkflowDefinition named = known.byType().get(request.workflowType());
      if (named != null) {
        return named;
      }
      return catalog
          .latest(request.workflowType())
          .orElseThrow(() -> new UnknownWorkflowTypeException(request.workflowType()));
    }
    return WorkflowDefinition.bestMatch(known.ofEach(), request.prompt())
        .or(() -> Optional.ofNullable(known.byType().get(WorkflowDefinition.DEFAULT_TYPE)))
        .or(() -> catalog.latest(WorkflowDefinition.DEFAULT_TYPE))
        .orElseThrow(() -> new UnknownWorkflowTypeException(WorkflowDefinition.DEFAULT_TYPE));
  }

  /** The newest definitions, read again once {@link #NEWEST_FRESH_FOR} has passed. */
  private NewestDefinitions newestDefinitions() {
    Instant now = clock.instant();
    NewestDefinitions known = newest;
    if (known == null || !now.isBefore(known.readAt().plus(NEWEST_FRESH_FOR))) {
      List<WorkflowDefinition> ofEach = catalog.latestOfEach();
      Map<String, WorkflowDefinition> byType = new HashMap<>();
      ofEach.forEach(definition -> byType.put(definition.type(), definition));
      known = new NewestDefinitions(ofEach, byType, now);
      newest = known;
    }
    return known;
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
