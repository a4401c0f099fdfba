package io.orchestro.threads.adapters.agents;

import java.net.URI;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.ai.anthropic.AnthropicChatModel;
import org.springframework.ai.anthropic.AnthropicChatOptions;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.ollama.OllamaChatModel;
import org.springframework.ai.ollama.api.OllamaApi;
import org.springframework.ai.ollama.api.OllamaChatOptions;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The configured providers and their Spring AI chat models. A provider's model is built on first
 * use, not at start: a service that never asks one costs nothing for it. The SDKs' own retries are
 * off; the step's retry policy decides.
 */
public final class LlmProviders {

  private final Map<String, LlmProvider> byName;
  private final OutboundHttp outbound;
  private final Map<String, ChatModel> models = new ConcurrentHashMap<>();

  public LlmProviders(Collection<LlmProvider> providers, OutboundHttp outbound) {
    this.byName =
        providers.stream().collect(Collectors.toMap(LlmProvider::name, Function.identity()));
    this.outbound = outbound;
  }

  Optional<LlmProvider> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  Collection<String> names() {
    return byName.keySet().stream().sorted().toList();
  }

  /** Every provider's key, to be taken out of any text that could show it. */
  List<String> apiKeys() {
    return byName.values().stream()
        .map(LlmProvider::apiKey)
        .filter(key -> key != null && !key.isEmpty())
        .toList();
  }

  /**
   * Refuses, when a definition is stored, a provider whose address the egress policy can never let
   * a request go to.
   */
  void checkUrl(LlmProvider provider) {
    outbound.egress().checkUrl(destination(provider));
  }

  /**
   * The egress policy's check of the provider's address as it resolves now, before each request,
   * for a clear failure. The connection itself is checked again, and pinned to the checked
   * addresses, by {@link OutboundHttp}'s client, which every provider's requests go through.
   */
  void checkDestination(LlmProvider provider) throws UnknownHostException {
    outbound.checkDestination(destination(provider));
  }

  /** Where the provider's requests go: its base URL, or its kind's usual one. */
  static URI destination(LlmProvider provider) {
    String base = provider.baseUrl();
    if (base == null || base.isBlank()) {
      base =
          switch (provider.kind()) {
            case OPENAI -> "https://api.openai.com/v1";
            case ANTHROPIC -> "https://api.anthropic.com";
            case OLLAMA -> "http://localhost:11434";
          };
    }
    return URI.create(base.strip());
  }

  ChatModel chatModel(LlmProvider provider) {
    return models.computeIfAbsent(provider.name(), name -> build(provider));
  }

  private ChatModel build(LlmProvider provider) {
    String apiKey = provider.apiKey() == null ? "" : provider.apiKey();
    return switch (provider.kind()) {
      case OPENAI ->
          OpenAiChatModel.builder()
              .options(
                  OpenAiChatOptions.builder()
                      .baseUrl(provider.baseUrl())
                      // an empty key: no Authorization header, for servers that need none
                      .apiKey(apiKey)
                      .model(provider.defaultModel())
                      .maxRetries(0)
                      .build())
              .httpClientBuilderCustomizer(
                  client -> client.interceptor(outbound.sendThroughThisClient()))
              .build();
      case ANTHROPIC ->
          AnthropicChatModel.builder()
              .options(
                  AnthropicChatOptions.builder()
                      .baseUrl(provider.baseUrl())
                      .apiKey(apiKey)
                      .model(provider.defaultModel())
                      .maxRetries(0)
                      .build())
              .httpClientBuilderCustomizer(
                  client -> client.interceptor(outbound.sendThroughThisClient()))
              .build();
      case OLLAMA -> {
        OllamaApi.Builder api =
            OllamaApi.builder()
                .restClientBuilder(
                    RestClient.builder()
                        .requestFactory(OkHttpSpringClients.requestFactory(outbound.client())))
                .webClientBuilder(
                    WebClient.builder()
                        .clientConnector(OkHttpSpringClients.connector(outbound.client())));
        if (provider.baseUrl() != null) {
          api.baseUrl(provider.baseUrl());
        }
        yield OllamaChatModel.builder()
            .ollamaApi(api.build())
            .options(OllamaChatOptions.builder().model(provider.defaultModel()).build())
            .build();
      }
    };
  }
}
