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
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.ollama.OllamaChatModel;
import org.springframework.ai.ollama.api.OllamaApi;
import org.springframework.ai.ollama.api.OllamaChatOptions;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

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

  /** A group for the calls of one attempt, to cancel them when the attempt is (see below). */
  OutboundHttp.CallGroup newCallGroup() {
    return outbound.newCallGroup();
  }

  /**
   * Streams the answer to {@code messages} asked with {@code options}, its requests in {@code
   * calls}: cancelling the group closes their connections, which disposing of the stream alone does
   * not. The OpenAI and Anthropic kinds' requests name their group in a header of the options, the
   * ollama kind's through the stream's context, which its WebClient reads.
   */
  static Flux<ChatResponse> stream(
      ChatModel chat,
      ChatOptions.Builder<?> options,
      List<Message> messages,
      OutboundHttp.CallGroup calls) {
    Map<String, String> header = Map.of(OutboundHttp.CALL_GROUP_HEADER, calls.tag());
    if (options instanceof OpenAiChatOptions.Builder openAi) {
      openAi.customHeaders(header);
    } else if (options instanceof AnthropicChatOptions.Builder anthropic) {
      anthropic.httpHeaders(header);
    }
    return chat.stream(new Prompt(messages, options.build()))
        .contextWrite(context -> context.put(OutboundHttp.CALL_GROUP_HEADER, calls.tag()));
  }

  /** The ollama kind's WebClient request, naming the call group of the stream that makes it. */
  private static Mono<ClientResponse> inStreamsCallGroup(
      ClientRequest request, ExchangeFunction next) {
    return Mono.deferContextual(
        context -> {
          if (!context.hasKey(OutboundHttp.CALL_GROUP_HEADER)) {
            return next.exchange(request);
          }
          String tag = context.get(OutboundHttp.CALL_GROUP_HEADER);
          return next.exchange(
              ClientRequest.from(request).header(OutboundHttp.CALL_GROUP_HEADER, tag).build());
        });
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
                        .requestFactory(OkHttpSpringClients.requestFactory(outbound)))
                .webClientBuilder(
                    WebClient.builder()
                        .clientConnector(OkHttpSpringClients.connector(outbound))
                        .filter(LlmProviders::inStreamsCallGroup));
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
