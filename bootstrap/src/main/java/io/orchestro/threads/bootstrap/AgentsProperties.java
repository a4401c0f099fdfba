package io.orchestro.threads.bootstrap;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code orchestro.agents.*}: the agents that call out.
 *
 * @param connectTimeout how long the http and llm agents wait for a connection
 * @param llm the llm agent's providers
 */
@ConfigurationProperties("orchestro.agents")
public record AgentsProperties(
    @DefaultValue("10s") Duration connectTimeout, @DefaultValue Llm llm) {

  /**
   * @param providers by the name steps give as {@code provider}
   */
  public record Llm(Map<String, Provider> providers) {

    public Llm {
      providers = providers == null ? Map.of() : Map.copyOf(providers);
    }
  }

  /**
   * {@code orchestro.agents.llm.providers.NAME.*}.
   *
   * @param kind {@code openai} (also any OpenAI-compatible server), {@code anthropic} or {@code
   *     ollama}
   * @param baseUrl where it answers; the kind's usual address when absent
   * @param apiKey its key (a secret; give it as an environment variable)
   * @param defaultModel the model of steps that name none
   */
  public record Provider(String kind, String baseUrl, String apiKey, String defaultModel) {

    @Override
    public String toString() {
      return "Provider[" + kind + ", " + baseUrl + ", model " + defaultModel + "]";
    }
  }
}
