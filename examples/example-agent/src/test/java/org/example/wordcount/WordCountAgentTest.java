package org.example.wordcount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestro.threads.application.port.out.Agent;
import io.orchestro.threads.application.port.out.Cancellation;
import io.orchestro.threads.application.port.out.StepContext;
import io.orchestro.threads.domain.ThreadId;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class WordCountAgentTest {

  @Test
  void theJarListsTheAgentForTheServiceLoader() {
    assertThat(ServiceLoader.load(Agent.class))
        .extracting(Agent::name)
        .containsExactly("word-count");
  }

  @Test
  void countsTheWordsOfThePromptOrOfTheNamedInput() {
    WordCountAgent agent = new WordCountAgent();
    Map<String, Object> input = Map.of("prompt", "  three short words ", "notes", "one");

    assertThat(agent.run(context(Map.of(), input))).isEqualTo(Map.of("words", 3));
    assertThat(agent.run(context(Map.of("field", "notes"), input))).isEqualTo(Map.of("words", 1));
    assertThat(agent.run(context(Map.of("field", "absent"), input))).isEqualTo(Map.of("words", 0));
  }

  @Test
  void refusesAFieldThatNamesNoInput() {
    assertThatThrownBy(() -> new WordCountAgent().checkConfig(Map.of("field", 3), List.of()))
        .hasMessageContaining("'field' must name an input");
  }

  private static StepContext context(Map<String, Object> config, Map<String, Object> input) {
    return new StepContext(
        ThreadId.generate(), "count", config, input, Map.of(), 1, new Cancellation(), note -> {});
  }
}
