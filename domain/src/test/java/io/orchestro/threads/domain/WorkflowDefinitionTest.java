package io.orchestro.threads.domain;

import static io.orchestro.threads.domain.TestWorkflows.definition;
import static io.orchestro.threads.domain.TestWorkflows.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules a workflow definition must keep: docs/api.md "Workflow definitions" and "Errors". */
class WorkflowDefinitionTest {

  private static final List<StepDefinition> ONE_STEP = List.of(step("a", RetryPolicy.NONE));

  private static WorkflowDefinition withSteps(List<StepDefinition> steps) {
    return new WorkflowDefinition("test", 1, "d", List.of(), steps);
  }

  private static WorkflowDefinition ofType(String type) {
    return new WorkflowDefinition(type, 1, "d", List.of(), ONE_STEP);
  }

  @Test
  void aValidDefinitionKeepsItsStepsInOrder() {
    WorkflowDefinition definition = definition("research", "plan", "draft", "review");

    assertThat(definition.type()).isEqualTo("research");
    assertThat(definition.version()).isEqualTo(1);
    assertThat(definition.steps())
        .extracting(StepDefinition::name)
        .containsExactly("plan", "draft", "review");
  }

  @Test
  void aMissingDescriptionBecomesEmptyAndMissingKeywordsAnEmptyList() {
    WorkflowDefinition definition = new WorkflowDefinition("test", 1, null, null, ONE_STEP);

    assertThat(definition.description()).isEmpty();
    assertThat(definition.keywords()).isEmpty();
  }

  @ParameterizedTest
  @NullAndEmptySource
  void aDefinitionNeedsAtLeastOneStep(List<StepDefinition> noSteps) {
    assertThatThrownBy(() -> withSteps(noSteps))
        .isInstanceOf(InvalidWorkflowDefinitionException.class)
        .hasMessage("a workflow needs at least one step");
  }

  @Test
  void aDefinitionHasAtMostAHundredSteps() {
    List<StepDefinition> hundred =
        IntStream.rangeClosed(1, 100).mapToObj(i -> step("s" + i, RetryPolicy.NONE)).toList();
    List<StepDefinition> hundredAndOne = new ArrayList<>(hundred);
    hundredAndOne.add(step("s101", RetryPolicy.NONE));

    assertThat(withSteps(hundred).steps()).hasSize(100);
    assertThatThrownBy(() -> withSteps(hundredAndOne))
        .isInstanceOf(InvalidWorkflowDefinitionException.class)
        .hasMessageContaining("at most 100 steps");
  }

  @Test
  void stepNamesMustBeUnique() {
    List<StepDefinition> steps =
        List.of(step("plan", RetryPolicy.NONE), step("draft", null), step("plan", null));

    assertThatThrownBy(() -> withSteps(steps))
        .isInstanceOf(InvalidWorkflowDefinitionException.class)
        .hasMessage("duplicate step name 'plan'");
  }

  @Test
  void stepNamesDifferingOnlyInCaseAreDistinct() {
    List<StepDefinition> steps = List.of(step("plan", null), step("Plan", null));

    assertThat(withSteps(steps).steps()).hasSize(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"general", "research", "a", "7", "code-review", "v2_beta", "x-_-y"})
  void validTypeNames(String type) {
    assertThat(WorkflowDefinition.isValidType(type)).isTrue();
    assertThat(ofType(type).type()).isEqualTo(type);
  }

  @Test
  void aTypeNameMayHaveSixtyFourCharactersButNotMore() {
    String sixtyFour = "a".repeat(64);

    assertThat(WorkflowDefinition.isValidType(sixtyFour)).isTrue();
    assertThat(WorkflowDefinition.isValidType(sixtyFour + "a")).isFalse();
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {"Research", "-research", "_research", "re search", "re.search", "re/search", "é"})
  void invalidTypeNamesAreRejected(String type) {
    assertThat(WorkflowDefinition.isValidType(type)).isFalse();
    assertThatThrownBy(() -> ofType(type))
        .isInstanceOf(InvalidWorkflowDefinitionException.class)
        .hasMessageContaining("workflow type");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1})
  void theVersionStartsAtOne(int version) {
    assertThatThrownBy(() -> new WorkflowDefinition("test", version, "d", List.of(), ONE_STEP))
        .isInstanceOf(InvalidWorkflowDefinitionException.class)
        .hasMessage("version must be at least 1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " "})
  void blankKeywordsAreRejected(String blank) {
    assertThatThrownBy(
            () -> new WorkflowDefinition("test", 1, "d", List.of("research", blank), ONE_STEP))
        .isInstanceOf(InvalidWorkflowDefinitionException.class)
        .hasMessage("keywords must not be blank");
  }

  @Test
  void theDefinitionCannotBeChangedThroughTheListsItWasGiven() {
    List<String> keywords = new ArrayList<>(List.of("research"));
    List<StepDefinition> steps = new ArrayList<>(ONE_STEP);
    WorkflowDefinition definition = new WorkflowDefinition("test", 1, "d", keywords, steps);

    keywords.add("compare");
    steps.add(step("b", null));

    assertThat(definition.keywords()).containsExactly("research");
    assertThat(definition.steps()).hasSize(1);
    assertThatThrownBy(() -> definition.steps().add(step("c", null)))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void knownAgentsPass() {
    WorkflowDefinition definition =
        withSteps(
            List.of(
                new StepDefinition("plan", "delay", null, null, null),
                new StepDefinition("draft", "echo", null, null, null)));

    assertThatCode(() -> definition.requireKnownAgents(Set.of("delay", "echo", "fail")))
        .doesNotThrowAnyException();
  }

  @Test
  void anUnknownAgentIsRejectedNamingTheStepTheAgentAndTheKnownAgents() {
    WorkflowDefinition definition =
        withSteps(
            List.of(
                new StepDefinition("plan", "delay", null, null, null),
                new StepDefinition("draft", "gpt", null, null, null)));

    assertThatThrownBy(() -> definition.requireKnownAgents(Set.of("fail", "echo", "delay")))
        .isInstanceOf(InvalidWorkflowDefinitionException.class)
        .hasMessage("step 'draft' names unknown agent 'gpt'; known agents: [delay, echo, fail]");
  }

  @Test
  void aStepIsFoundByName() {
    WorkflowDefinition definition = definition("test", "plan", "draft");

    assertThat(definition.step("draft")).map(StepDefinition::name).contains("draft");
    assertThat(definition.step("review")).isEmpty();
  }

  @Test
  void aNewVersionHasTheSameContent() {
    WorkflowDefinition first = definition("test", "plan", "draft");
    WorkflowDefinition second = first.withVersion(2);

    assertThat(second.version()).isEqualTo(2);
    assertThat(second).isNotEqualTo(first);
    assertThat(second.sameContentAs(first)).isTrue();
    assertThat(definition("test", "plan", "review").sameContentAs(first)).isFalse();
  }
}
