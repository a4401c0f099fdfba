package io.orchestro.threads.adapters.agents;

import java.util.Locale;

/**
 * A configured language-model service ({@code orchestro.agents.llm.providers.NAME.*}).
 *
 * @param name the name steps use in {@code provider}
 * @param kind the protocol it speaks
 * @param baseUrl where it answers; null for the kind's usual address
 * @param apiKey its key (a secret: never logged or shown); null or empty for none
 * @param defaultModel the model of steps that name none; may be null
 */
public record LlmProvider(
    String name, Kind kind, String baseUrl, String apiKey, String defaultModel) {

  /** The protocols the {@code llm} agent speaks. */
  public enum Kind {
    /** OpenAI's chat completions, as OpenAI and compatible servers (vLLM, LM Studio) serve it. */
    OPENAI,
    ANTHROPIC,
    OLLAMA;

    /** The kind by its configured name: {@code openai}, {@code anthropic} or {@code ollama}. */
    public static Kind of(String name) {
      try {
        return valueOf(name.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException | NullPointerException unknown) {
        throw new IllegalArgumentException(
            "an LLM provider's kind is openai, anthropic or ollama, not " + name);
      }
    }
  }

  public LlmProvider {
    if (name == null || name.isBlank() || kind == null) {
      throw new IllegalArgumentException("an LLM provider needs a name and a kind");
    }
  }

  /** How logs and errors show it: the key never appears. */
  @Override
  public String toString() {
    return "LlmProvider[" + name + ", " + kind + ", " + baseUrl + ", model " + defaultModel + "]";
  }
}
