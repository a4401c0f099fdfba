package io.orchestro.threads.adapters.agents;

import com.anthropic.errors.AnthropicIoException;
import com.anthropic.errors.AnthropicServiceException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import io.orchestro.threads.application.port.out.Agent;
import io.orchestro.threads.application.port.out.AttemptFailedException;
import io.orchestro.threads.application.port.out.StepContext;
import io.orchestro.threads.domain.EgressPolicy;
import java.io.IOException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.Disposable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Asks a language model (docs/api.md, "{@code llm}: ask a language model"), through Spring AI.
 * Settings: {@code provider} (a configured one, default {@code default}), {@code model} (default:
 * the provider's), {@code system}, {@code prompt}, {@code temperature}, {@code max_tokens}, {@code
 * response_format} ({@code text} or {@code json}); {@code system} and {@code prompt} are templates.
 *
 * <p>The answer streams in; the text so far goes to the step's progress at most every {@link
 * #PROGRESS_INTERVAL}. Output: {@code text}, {@code json} (the parsed answer, with {@code
 * response_format: json}; an answer that is no JSON may pass on another attempt), {@code model},
 * {@code finish_reason} and {@code usage} ({@code input_tokens}, {@code output_tokens}). 429 and
 * 5xx from the provider, and a provider that cannot be reached, may pass on another attempt; any
 * other refusal fails the thread at once.
 */
public final class LlmAgent implements Agent {

  public static final String NAME = "llm";
  static final Duration PROGRESS_INTERVAL = Duration.ofMillis(250);
  private static final String DEFAULT_PROVIDER = "default";

  private final JsonMapper json = JsonMapper.builder().build();
  private final LlmProviders providers;
  private final Templates templates;
  private final Secrets secrets;
  private final LlmUsageObserver usage;
  private final Clock clock;

  public LlmAgent(
      LlmProviders providers,
      Templates templates,
      Secrets secrets,
      LlmUsageObserver usage,
      Clock clock) {
    this.providers = providers;
    this.templates = templates;
    this.secrets = secrets;
    this.usage = usage;
    this.clock = clock;
  }

  @Override
  public String name() {
    return NAME;
  }

  /** A pause gives the attempt up: the stream is closed, and resume asks again. */
  @Override
  public boolean stopsOnPause() {
    return true;
  }

  @Override
  public void checkConfig(Map<String, Object> config, List<String> earlierSteps) {
    LlmProvider provider = provider(config);
    model(config, provider);
    providers.checkUrl(provider);
    templates.check("prompt", Configs.requiredString(config, "prompt"), earlierSteps);
    templates.check("system", Configs.stringValue(config, "system", ""), earlierSteps);
    Double temperature = Configs.doubleValue(config, "temperature");
    if (temperature != null && (temperature < 0 || temperature > 2)) {
      throw new IllegalArgumentException("'temperature' must be between 0 and 2");
    }
    maxTokens(config);
    jsonWanted(config);
  }

  @Override
  public Map<String, Object> run(StepContext context) throws InterruptedException {
    Map<String, Object> config = context.config();
    LlmProvider provider = provider(config);
    String model = model(config, provider);
    checkDestination(provider);
    ChatModel chat = providers.chatModel(provider);
    ChatOptions.Builder<?> options = chat.getOptions().mutate().model(model);
    options.temperature(Configs.doubleValue(config, "temperature"));
    if (config.get("max_tokens") != null) {
      options.maxTokens(maxTokens(config));
    }
    List<Message> messages = new ArrayList<>();
    String system = Configs.stringValue(config, "system", "");
    if (!system.isBlank()) {
      messages.add(new SystemMessage(templates.render(system, context)));
    }
    messages.add(
        new UserMessage(templates.render(Configs.requiredString(config, "prompt"), context)));

    Answer answer = stream(chat, options, messages, provider, context);
    String answeredModel = answer.model != null ? answer.model : model;
    usage.answered(provider.name(), answeredModel, answer.inputTokens, answer.outputTokens);
    return output(answer, answeredModel, jsonWanted(config));
  }

  /** What came back, gathered from the streamed chunks. */
  private static final class Answer {
    final StringBuilder text = new StringBuilder();
    String model;
    String finishReason;
    long inputTokens;
    long outputTokens;

    void add(ChatResponse chunk) {
      Generation generation = chunk.getResult();
      if (generation != null) {
        if (generation.getOutput().getText() != null) {
          text.append(generation.getOutput().getText());
        }
        String reason = generation.getMetadata().getFinishReason();
        if (reason != null && !reason.isBlank()) {
          finishReason = reason.toLowerCase();
        }
      }
      if (chunk.getMetadata() == null) {
        return;
      }
      String chunkModel = chunk.getMetadata().getModel();
      if (chunkModel != null && !chunkModel.isBlank()) {
        model = chunkModel;
      }
      // providers report usage so far, some only on the last chunk: the latest count holds
      Usage counted = chunk.getMetadata().getUsage();
      if (counted != null) {
        if (counted.getPromptTokens() != null && counted.getPromptTokens() > 0) {
          inputTokens = counted.getPromptTokens();
        }
        if (counted.getCompletionTokens() != null && counted.getCompletionTokens() > 0) {
          outputTokens = counted.getCompletionTokens();
        }
      }
    }
  }

  /**
   * Gathers the streamed answer. A cancelled attempt cancels its calls to the provider, which
   * closes their connections: disposing of the stream alone would leave them open, and a thread of
   * the Spring AI model reading each, which a stalled provider never lets go.
   */
  private Answer stream(
      ChatModel chat,
      ChatOptions.Builder<?> options,
      List<Message> messages,
      LlmProvider provider,
      StepContext context)
      throws InterruptedException {
    try (OutboundHttp.CallGroup calls = providers.newCallGroup()) {
      return stream(chat, options, messages, calls, provider, context);
    }
  }

  private Answer stream(
      ChatModel chat,
      ChatOptions.Builder<?> options,
      List<Message> messages,
      OutboundHttp.CallGroup calls,
      LlmProvider provider,
      StepContext context)
      throws InterruptedException {
    Answer answer = new Answer();
    CompletableFuture<Void> done = new CompletableFuture<>();
    long[] lastProgress = {System.nanoTime() - PROGRESS_INTERVAL.toNanos()};
    int[] publishedLength = {0};
    Disposable subscription =
        LlmProviders.stream(chat, options, messages, calls)
            .subscribe(
                chunk -> {
                  answer.add(chunk);
                  long now = System.nanoTime();
                  if (now - lastProgress[0] >= PROGRESS_INTERVAL.toNanos()
                      && answer.text.length() > publishedLength[0]) {
                    lastProgress[0] = now;
                    publishedLength[0] = answer.text.length();
                    context.progress().accept(answer.text.toString());
                  }
                },
                done::completeExceptionally,
                () -> done.complete(null));
    context
        .cancellation()
        .onCancel(
            () -> {
              // first: what cancelling the calls makes of the stream (an end, a failure) is not
              // the attempt's answer
              done.completeExceptionally(new CancellationException("cancelled"));
              calls.cancel();
              subscription.dispose();
            });
    try {
      done.get();
    } catch (ExecutionException failed) {
      if (failed.getCause() instanceof CancellationException cancelled) {
        throw cancelled;
      }
      throw failureOf(failed.getCause(), provider);
    } catch (InterruptedException stopping) {
      calls.cancel();
      subscription.dispose();
      throw stopping;
    }
    if (answer.text.length() > publishedLength[0]) {
      context.progress().accept(answer.text.toString());
    }
    return answer;
  }

  private Map<String, Object> output(Answer answer, String model, boolean jsonWanted) {
    String text = answer.text.toString();
    Map<String, Object> output = new LinkedHashMap<>();
    output.put("text", text);
    if (jsonWanted) {
      output.put("json", parseJson(text));
    }
    output.put("model", model);
    output.put("finish_reason", answer.finishReason);
    Map<String, Object> counted = new LinkedHashMap<>();
    counted.put("input_tokens", answer.inputTokens);
    counted.put("output_tokens", answer.outputTokens);
    output.put("usage", counted);
    @SuppressWarnings("unchecked")
    Map<String, Object> redacted =
        (Map<String, Object>) secrets.redactValues(output, providers.apiKeys());
    return redacted;
  }

  /** The answer as JSON; a model that wrapped it in a Markdown code fence is forgiven that. */
  private Object parseJson(String text) {
    String body = text.strip();
    if (body.startsWith("```")) {
      int firstLineEnd = body.indexOf('\n');
      int closingFence = body.lastIndexOf("```");
      if (firstLineEnd > 0 && closingFence > firstLineEnd) {
        body = body.substring(firstLineEnd + 1, closingFence).strip();
      }
    }
    try {
      return json.readValue(body, Object.class);
    } catch (JacksonException malformed) {
      throw AttemptFailedException.retryable(
          "the answer is not the JSON that response_format json asks for: "
              + malformed.getOriginalMessage());
    }
  }

  /** The egress policy's check, before any request goes to the provider. */
  private void checkDestination(LlmProvider provider) {
    String who = "provider '" + provider.name() + "'";
    try {
      providers.checkDestination(provider);
    } catch (EgressPolicy.RefusedDestinationException | IllegalArgumentException refused) {
      throw AttemptFailedException.notRetryable(who + ": " + refused.getMessage());
    } catch (UnknownHostException unknown) {
      throw AttemptFailedException.retryable(who + " could not be reached: " + describe(unknown));
    }
  }

  /** An SDK's failure as the attempt's: by the provider's HTTP status where there is one. */
  private AttemptFailedException failureOf(Throwable failure, LlmProvider provider) {
    String who = "provider '" + provider.name() + "'";
    List<String> keys = providers.apiKeys();
    if (failure instanceof OpenAIServiceException refused) {
      return statusFailure(
          who,
          refused.statusCode(),
          String.valueOf(refused.body()),
          first(refused.headers().values("Retry-After")),
          keys);
    }
    if (failure instanceof AnthropicServiceException refused) {
      return statusFailure(
          who,
          refused.statusCode(),
          String.valueOf(refused.body()),
          first(refused.headers().values("Retry-After")),
          keys);
    }
    if (failure instanceof WebClientResponseException refused) {
      return statusFailure(
          who,
          refused.getStatusCode().value(),
          refused.getResponseBodyAsString(),
          refused.getHeaders().getFirst("Retry-After"),
          keys);
    }
    String reason = secrets.redact(describe(failure), keys);
    if (failure instanceof OpenAIIoException
        || failure instanceof AnthropicIoException
        || failure instanceof WebClientRequestException
        || failure instanceof IOException) {
      return AttemptFailedException.retryable(who + " could not be reached: " + reason);
    }
    return AttemptFailedException.retryable(who + " failed: " + reason);
  }

  private AttemptFailedException statusFailure(
      String who, int status, String body, String retryAfter, List<String> keys) {
    AttemptFailedException failure =
        FailedStatus.of(who, status, secrets.redact(body, keys), retryAfter, clock);
    // the provider's limit is everyone's: the engine holds every call of this agent back
    return status == 429
        ? AttemptFailedException.rateLimited(
            failure.getMessage(), failure.retryAfter().orElse(null))
        : failure;
  }

  private LlmProvider provider(Map<String, Object> config) {
    String name = Configs.stringValue(config, "provider", DEFAULT_PROVIDER);
    return providers
        .find(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no LLM provider named '"
                        + name
                        + "' is configured (orchestro.agents.llm.providers."
                        + name
                        + ".kind); configured: "
                        + (providers.names().isEmpty()
                            ? "none"
                            : String.join(", ", providers.names()))));
  }

  private static String model(Map<String, Object> config, LlmProvider provider) {
    String model = Configs.stringValue(config, "model", provider.defaultModel());
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException(
          "'model' is required: provider '" + provider.name() + "' has no default-model");
    }
    return model;
  }

  private static boolean jsonWanted(Map<String, Object> config) {
    return Configs.oneOf(config, "response_format", "text", "text", "json").equals("json");
  }

  private static String first(List<String> values) {
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private static String describe(Throwable failure) {
    String reason = failure.getMessage();
    return failure.getClass().getSimpleName() + (reason == null ? "" : ": " + reason);
  }

  private static int maxTokens(Map<String, Object> config) {
    return (int) Configs.longValue(config, "max_tokens", 1, 1, Integer.MAX_VALUE);
  }
}
