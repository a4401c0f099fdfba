package io.orchestro.threads.adapters.agents;

/** Told about the tokens each answer of a language model took (for meters). */
public interface LlmUsageObserver {

  LlmUsageObserver NONE = (provider, model, inputTokens, outputTokens) -> {};

  void answered(String provider, String model, long inputTokens, long outputTokens);
}
