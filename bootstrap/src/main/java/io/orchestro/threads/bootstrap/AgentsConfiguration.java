package io.orchestro.threads.bootstrap;

import io.orchestro.threads.adapters.agents.DelayAgent;
import io.orchestro.threads.adapters.agents.EchoAgent;
import io.orchestro.threads.adapters.agents.FailAgent;
import io.orchestro.threads.adapters.agents.HttpAgent;
import io.orchestro.threads.adapters.agents.LlmAgent;
import io.orchestro.threads.adapters.agents.LlmProvider;
import io.orchestro.threads.adapters.agents.LlmProviders;
import io.orchestro.threads.adapters.agents.LlmUsageObserver;
import io.orchestro.threads.adapters.agents.OutboundHttp;
import io.orchestro.threads.adapters.agents.Secrets;
import io.orchestro.threads.adapters.agents.Templates;
import io.orchestro.threads.application.agent.Agents;
import io.orchestro.threads.application.port.out.Agent;
import io.orchestro.threads.domain.EgressPolicy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * The agents (adapters-agents), their template language and secrets. Every {@link Agent} bean is
 * one, and so is every agent a jar on the class path lists for {@link ServiceLoader}: an agent of
 * one's own needs no change to this project.
 */
@Configuration(proxyBeanMethods = false)
class AgentsConfiguration {

  private static final String SECRET_PROPERTY = "orchestro.secrets.";
  private static final String SECRET_VARIABLE = "ORCHESTRO_SECRETS_";

  /**
   * {@code orchestro.secrets.NAME} and the environment variables {@code ORCHESTRO_SECRETS_NAME},
   * NAME as written. Their names are collected at start; each value is read from the configuration
   * when a request needs it.
   */
  @Bean
  Secrets secrets(ConfigurableEnvironment environment) {
    Map<String, String> keyByName = new TreeMap<>();
    for (PropertySource<?> source : environment.getPropertySources()) {
      if (source instanceof EnumerablePropertySource<?> enumerable) {
        for (String key : enumerable.getPropertyNames()) {
          for (String prefix : List.of(SECRET_PROPERTY, SECRET_VARIABLE)) {
            if (key.startsWith(prefix) && key.length() > prefix.length()) {
              keyByName.putIfAbsent(key.substring(prefix.length()), key);
            }
          }
        }
      }
    }
    return new Secrets(keyByName.keySet(), name -> environment.getProperty(keyByName.get(name)));
  }

  @Bean
  Templates templates(Secrets secrets) {
    return new Templates(secrets);
  }

  @Bean
  DelayAgent delayAgent(Clock clock) {
    return new DelayAgent(clock);
  }

  @Bean
  EchoAgent echoAgent(Templates templates) {
    return new EchoAgent(templates);
  }

  @Bean
  FailAgent failAgent() {
    return new FailAgent();
  }

  /** The one HTTP client of the agents' outbound requests (see {@link OutboundHttp}). */
  @Bean
  OutboundHttp outboundHttp(AgentsProperties properties, EgressPolicy egress) {
    return new OutboundHttp(properties.connectTimeout(), egress);
  }

  @Bean
  HttpAgent httpAgent(OutboundHttp outbound, Templates templates, Secrets secrets, Clock clock) {
    return new HttpAgent(outbound, templates, secrets, clock);
  }

  @Bean
  LlmProviders llmProviders(AgentsProperties properties, OutboundHttp outbound) {
    List<LlmProvider> providers = new ArrayList<>();
    properties
        .llm()
        .providers()
        .forEach(
            (name, provider) ->
                providers.add(
                    new LlmProvider(
                        name,
                        LlmProvider.Kind.of(provider.kind()),
                        provider.baseUrl(),
                        provider.apiKey(),
                        provider.defaultModel())));
    return new LlmProviders(providers, outbound);
  }

  @Bean
  LlmAgent llmAgent(
      LlmProviders providers,
      Templates templates,
      Secrets secrets,
      LlmUsageObserver usage,
      Clock clock) {
    return new LlmAgent(providers, templates, secrets, usage, clock);
  }

  @Bean
  Agents agents(List<Agent> beans) {
    List<Agent> all = new ArrayList<>(beans);
    ServiceLoader.load(Agent.class, AgentsConfiguration.class.getClassLoader()).forEach(all::add);
    return new Agents(all);
  }
}
