package io.orchestro.threads.bootstrap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.orchestro.threads.adapters.agents.LlmUsageObserver;

/** The tokens the llm agent's answers took, as {@link OrchestroMeters#LLM_TOKENS}. */
final class LlmTelemetry implements LlmUsageObserver {

  private final MeterRegistry registry;

  LlmTelemetry(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void answered(String provider, String model, long inputTokens, long outputTokens) {
    tokens(provider, model, "input").increment(inputTokens);
    tokens(provider, model, "output").increment(outputTokens);
  }

  private Counter tokens(String provider, String model, String direction) {
    // the registry keeps one counter per name and tags: this finds it after the first time
    return Counter.builder(OrchestroMeters.LLM_TOKENS)
        .description("Tokens of the language models' prompts (input) and answers (output)")
        .tag(OrchestroMeters.PROVIDER, provider)
        .tag(OrchestroMeters.MODEL, model)
        .tag(OrchestroMeters.DIRECTION, direction)
        .register(registry);
  }
}
