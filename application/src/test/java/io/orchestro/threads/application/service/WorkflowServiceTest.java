package io.orchestro.threads.application.service;

import static io.orchestro.threads.application.testing.WorkflowCommands.step;
import static io.orchestro.threads.application.testing.WorkflowCommands.workflow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestro.threads.application.agent.Agents;
import io.orchestro.threads.application.port.in.PutWorkflowUseCase.PutWorkflowCommand;
import io.orchestro.threads.application.port.in.PutWorkflowUseCase.PutWorkflowResult;
import io.orchestro.threads.application.port.in.UnknownWorkflowTypeException;
import io.orchestro.threads.application.port.in.WorkflowNotFoundException;
import io.orchestro.threads.application.port.out.Agent;
import io.orchestro.threads.application.port.out.DuplicateWorkflowVersionException;
import io.orchestro.threads.application.port.out.StepContext;
import io.orchestro.threads.application.testing.InMemoryWorkflowCatalog;
import io.orchestro.threads.application.testing.SettableClock;
import io.orchestro.threads.application.testing.StandInAgents;
import io.orchestro.threads.domain.InvalidWorkflowDefinitionException;
import io.orchestro.threads.domain.StepDefinition;
import io.orchestro.threads.domain.ThreadRequest;
import io.orchestro.threads.domain.WorkflowDefinition;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Workflow definitions: versions stored, checked against the agents, and chosen for threads. */
class WorkflowServiceTest {

  private final InMemoryWorkflowCatalog catalog = new InMemoryWorkflowCatalog();
  private final Agents agents = new Agents(StandInAgents.all());
  private final SettableClock clock = SettableClock.standingStill();
  private final WorkflowService workflows = new WorkflowService(catalog, agents, clock);

  @Test
  void aNewTypeIsStoredAsVersionOne() {
    PutWorkflowResult result = workflows.put(oneStep("greet", "hello"));

    assertThat(result.created()).isTrue();
    assertThat(result.definition().version()).isEqualTo(1);
    assertThat(catalog.find("greet", 1)).contains(result.definition());
    assertThat(workflows.get("greet")).isEqualTo(result.definition());
  }

  @Test
  void changedContentIsANewVersionAndTheOldOneIsKept() {
    WorkflowDefinition first = workflows.put(oneStep("greet", "hello")).definition();

    PutWorkflowResult second = workflows.put(oneStep("greet", "good day"));

    assertThat(second.created()).isFalse();
    assertThat(second.definition().version()).isEqualTo(2);
    assertThat(workflows.get("greet")).isEqualTo(second.definition());
    assertThat(catalog.find("greet", 1)).contains(first);
  }

  @Test
  void theSameContentAgainChangesNothing() {
    WorkflowDefinition first = workflows.put(oneStep("greet", "hello")).definition();

    PutWorkflowResult again = workflows.put(oneStep("greet", "hello"));

    assertThat(again.created()).isFalse();
    assertThat(again.definition()).isEqualTo(first);
    assertThat(catalog.all()).containsExactly(first);
  }

  @Test
  void aStepNamingAnUnknownAgentIsRefused() {
    assertThatThrownBy(() -> workflows.put(workflow("bad", step("think", "oracle", Map.of()))))
        .isInstanceOf(InvalidWorkflowDefinitionException.class)
        .hasMessageContaining("'think'")
        .hasMessageContaining("'oracle'");

    assertThat(catalog.all()).isEmpty();
  }

  @Test
  void aStepWhoseConfigItsAgentRejectsIsRefusedNamingTheStep() {
    assertThatThrownBy(
            () -> workflows.put(workflow("bad", step("nap", "delay", Map.of("millis", -1)))))
        .isInstanceOf(InvalidWorkflowDefinitionException.class)
        .hasMessage("step 'nap': 'millis' must not be negative");

    assertThat(catalog.all()).isEmpty();
  }

  @Test
  void aVersionRaceLostToAnotherWriterIsRetriedWithTheNextVersion() {
    workflows.put(oneStep("greet", "hello"));
    WorkflowService racing = new WorkflowService(new RacedCatalog(catalog, 1), agents, clock);

    PutWorkflowResult result = racing.put(oneStep("greet", "mine"));

    // the other writer took version 2 first
    assertThat(result.definition().version()).isEqualTo(3);
    assertThat(catalog.find("greet", 2).orElseThrow().description()).isEqualTo("the other writer");
    assertThat(workflows.get("greet")).isEqualTo(result.definition());
  }

  @Test
  void aWriterThatKeepsLosingVersionRacesGivesUp() {
    WorkflowService racing = new WorkflowService(new RacedCatalog(catalog, 99), agents, clock);

    assertThatThrownBy(() -> racing.put(oneStep("greet", "mine")))
        .isInstanceOf(DuplicateWorkflowVersionException.class);
  }

  @Test
  void listsTheNewestVersionOfEachTypeByName() {
    workflows.put(oneStep("zeta", "z"));
    workflows.put(oneStep("alpha", "a"));
    WorkflowDefinition alpha2 = workflows.put(oneStep("alpha", "a again")).definition();

    assertThat(workflows.list())
        .extracting(definition -> definition.type() + " " + definition.version())
        .containsExactly("alpha 2", "zeta 1");
    assertThat(workflows.list().get(0)).isEqualTo(alpha2);
  }

  @Test
  void anUnknownTypeIsNotFound() {
    assertThatThrownBy(() -> workflows.get("nothing"))
        .isInstanceOf(WorkflowNotFoundException.class);
  }

  @Test
  void builtInsAreInstalledOnlyWhereTheirTypeIsMissing() {
    WorkflowDefinition mine =
        workflows.put(oneStep(WorkflowDefinition.DEFAULT_TYPE, "my own default")).definition();

    workflows.installBuiltIns(BuiltInWorkflows.all());
    workflows.installBuiltIns(BuiltInWorkflows.all());

    assertThat(workflows.get(WorkflowDefinition.DEFAULT_TYPE)).isEqualTo(mine);
    assertThat(workflows.list())
        .extracting(WorkflowDefinition::type)
        .containsExactly(WorkflowDefinition.DEFAULT_TYPE, "report", "research");
    assertThat(catalog.all()).hasSize(3);
  }

  /**
   * An installation that first ran without a language model got the demonstrations; once a model is
   * configured, the demonstrations still newest get a real version, and one's own stays.
   */
  @Test
  void aModelConfiguredLaterMakesTheDemonstrationsRealButNeverReplacesOnesOwn() {
    Agent llm =
        new Agent() {
          @Override
          public String name() {
            return "llm";
          }

          @Override
          public Map<String, Object> run(StepContext context) {
            return Map.of();
          }
        };
    WorkflowService withModel =
        new WorkflowService(
            catalog,
            new Agents(Stream.concat(StandInAgents.all().stream(), Stream.of(llm)).toList()),
            clock);
    withModel.installBuiltIns(BuiltInWorkflows.all());
    WorkflowDefinition mine = withModel.put(oneStep("research", "my own research")).definition();

    withModel.installBuiltIns(BuiltInWorkflows.all("default"));
    withModel.installBuiltIns(BuiltInWorkflows.all("default"));

    WorkflowDefinition report = withModel.get("report");
    assertThat(report.version()).isEqualTo(2);
    assertThat(report.steps())
        .extracting(StepDefinition::agent)
        .containsExactly("llm", "llm", "llm", "echo");
    assertThat(report.steps().get(1).config())
        .containsEntry("provider", "default")
        .hasEntrySatisfying(
            "prompt",
            prompt -> assertThat((String) prompt).contains("{{steps.outline.output.text}}"));
    assertThat(withModel.get("research")).isEqualTo(mine);
    assertThat(withModel.get(WorkflowDefinition.DEFAULT_TYPE).version()).isEqualTo(1);
  }

  @Test
  void aNewThreadGetsTheTypeItNamesElseTheBestKeywordMatchElseTheDefault() {
    workflows.installBuiltIns(BuiltInWorkflows.all());
    WorkflowDefinition research2 =
        workflows
            .put(
                new PutWorkflowCommand(
                    "research",
                    "a newer research",
                    List.of("research"),
                    List.of(step("look", "echo", Map.of()))))
            .definition();

    assertThat(workflows.definitionFor(request("Write a report", "research"))).isEqualTo(research2);
    assertThat(workflows.definitionFor(request("Please research the tides", null)))
        .isEqualTo(research2);
    assertThat(workflows.definitionFor(request("Write a summary", null)).type())
        .isEqualTo("report");
    assertThat(workflows.definitionFor(request("Hello", null)).type())
        .isEqualTo(WorkflowDefinition.DEFAULT_TYPE);
    assertThatThrownBy(() -> workflows.definitionFor(request("Hello", "nothing")))
        .isInstanceOf(UnknownWorkflowTypeException.class);
  }

  @Test
  void withoutADefaultWorkflowAnUnmatchedPromptHasNone() {
    workflows.put(oneStep("greet", "hello"));

    assertThatThrownBy(() -> workflows.definitionFor(request("Nothing matches", null)))
        .isInstanceOf(UnknownWorkflowTypeException.class)
        .hasMessageContaining(WorkflowDefinition.DEFAULT_TYPE);
  }

  @Test
  void newThreadsGetADefinitionPutOnThisNodeAtOnceAndOneAddedElsewhereOnceTheCopyIsStale() {
    WorkflowDefinition first = workflows.put(oneStep("greet", "hello")).definition();
    assertThat(workflows.definitionFor(request("Hi", "greet"))).isEqualTo(first);

    WorkflowDefinition second = workflows.put(oneStep("greet", "hello again")).definition();
    assertThat(workflows.definitionFor(request("Hi", "greet"))).isEqualTo(second);

    // another node sharing the database stores version 3 and a new type
    WorkflowDefinition third = second.withVersion(3);
    catalog.add(third);
    catalog.add(new WorkflowDefinition("wave", 1, "elsewhere", List.of(), first.steps()));
    assertThat(workflows.definitionFor(request("Hi", "greet"))).isEqualTo(second);
    assertThat(workflows.definitionFor(request("Hi", "wave")).type()).isEqualTo("wave");

    clock.advance(WorkflowService.NEWEST_FRESH_FOR);
    assertThat(workflows.definitionFor(request("Hi", "greet"))).isEqualTo(third);
  }

  private static PutWorkflowCommand oneStep(String type, String greeting) {
    return workflow(type, step("say", "echo", Map.of("template", greeting)));
  }

  private static ThreadRequest request(String prompt, String type) {
    return new ThreadRequest(prompt, type, null, null);
  }
}
