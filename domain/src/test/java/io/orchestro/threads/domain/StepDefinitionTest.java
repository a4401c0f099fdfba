package io.orchestro.threads.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class StepDefinitionTest {

  private static StepDefinition named(String name) {
    return new StepDefinition(name, "delay", null, null, null);
  }

  private static StepDefinition withTimeout(Long timeoutMillis) {
    return new StepDefinition("draft", "echo", null, null, timeoutMillis);
  }

  @ParameterizedTest
  @ValueSource(strings = {"plan", "Plan", "9", "step_1", "a.b-c", "Draft-2.final"})
  void validStepNames(String name) {
    assertThat(named(name).name()).isEqualTo(name);
  }

  @Test
  void aStepNameMayHaveSixtyFourCharactersButNotMore() {
    assertThat(named("s".repeat(64)).name()).hasSize(64);
    assertThatThrownBy(() -> named("s".repeat(65)))
        .isInstanceOf(InvalidWorkflowDefinitionException.class);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"-plan", ".plan", "_plan", "the plan", "plan/draft", "plan:1", "plän"})
  void invalidStepNamesAreRejected(String name) {
    assertThatThrownBy(() -> named(name))
        .isInstanceOf(InvalidWorkflowDefinitionException.class)
        .hasMessageContaining("step name");
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"  "})
  void aStepMustNameAnAgent(String agent) {
    assertThatThrownBy(() -> new StepDefinition("plan", agent, null, null, null))
        .isInstanceOf(InvalidWorkflowDefinitionException.class)
        .hasMessage("step 'plan' names no agent");
  }

  @Test
  void noConfigMeansAnEmptyConfigAndNoRetryPolicyMeansNoRetry() {
    StepDefinition step = named("plan");

    assertThat(step.config()).isEmpty();
    assertThat(step.retry()).isEqualTo(RetryPolicy.NONE);
    assertThat(step.retry().maxAttempts()).isEqualTo(1);
    assertThat(step.timeoutMillis()).isNull();
  }

  @Test
  void theConfigIsCopiedDeeplyAndCannotBeChanged() {
    Map<String, Object> inner = new HashMap<>(Map.of("x", 1));
    Map<String, Object> config = new HashMap<>(Map.of("template", "Draft for {{prompt}}"));
    config.put("nested", inner);
    config.put("list", List.of(inner));

    StepDefinition step = new StepDefinition("draft", "echo", config, null, null);
    inner.put("y", 2);
    config.put("late", true);

    assertThat(step.config())
        .containsOnlyKeys("template", "nested", "list")
        .containsEntry("nested", Map.of("x", 1))
        .containsEntry("list", List.of(Map.of("x", 1)));
    assertThatThrownBy(() -> step.config().put("late", true))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 30_000, 86_400_000})
  void timeoutsFromOneMillisecondToOneDayAreAccepted(long timeoutMillis) {
    assertThat(withTimeout(timeoutMillis).timeoutMillis()).isEqualTo(timeoutMillis);
  }

  @ParameterizedTest
  @ValueSource(longs = {0, -1, 86_400_001, Long.MAX_VALUE})
  void timeoutsOutsideOneMillisecondToOneDayAreRejected(long timeoutMillis) {
    assertThatThrownBy(() -> withTimeout(timeoutMillis))
        .isInstanceOf(InvalidWorkflowDefinitionException.class)
        .hasMessage("step 'draft': timeout_millis must be between 1 and 86400000");
  }

  @Test
  void oneDayIsTheLongestTimeout() {
    assertThat(StepDefinition.MAX_TIMEOUT_MILLIS).isEqualTo(86_400_000L);
  }
}
