package io.orchestro.threads.bootstrap;

import io.orchestro.threads.application.agent.Agents;
import io.orchestro.threads.application.port.out.EngineSignal;
import io.orchestro.threads.application.port.out.WorkflowCatalog;
import io.orchestro.threads.application.port.out.WorkflowThreadStore;
import io.orchestro.threads.application.service.BuiltInWorkflows;
import io.orchestro.threads.application.service.BulkChangeService;
import io.orchestro.threads.application.service.ThreadService;
import io.orchestro.threads.application.service.WorkflowService;
import io.orchestro.threads.domain.EgressPolicy;
import io.orchestro.threads.domain.InvalidWorkflowDefinitionException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The use cases (the agents are {@link AgentsConfiguration}'s). */
@Configuration(proxyBeanMethods = false)
class CoreConfiguration {

  private static final Logger LOG = System.getLogger(CoreConfiguration.class.getName());

  @Bean
  @ConditionalOnMissingBean
  Clock clock() {
    return Clock.systemUTC();
  }

  /**
   * Installs the built-in workflows whose types the store does not have yet, except when a
   * store-copy command runs: the target then gets the source's definitions as they are, and the
   * next ordinary start installs whatever built-in type is still missing.
   */
  /** The one egress policy of webhooks and agents ({@code orchestro.egress.allow}). */
  @Bean
  EgressPolicy egressPolicy(EgressProperties properties) {
    return new EgressPolicy(properties.allow());
  }

  @Bean
  WorkflowService workflowService(
      WorkflowCatalog catalog,
      Agents agents,
      Clock clock,
      Environment environment,
      AgentsProperties agentsProperties) {
    WorkflowService workflows = new WorkflowService(catalog, agents, clock);
    if (!StoreCopyCommand.isRequested(environment)) {
      String model = builtInsModel(agentsProperties);
      try {
        workflows.installBuiltIns(BuiltInWorkflows.all(model));
      } catch (InvalidWorkflowDefinitionException refused) {
        if (model == null) {
          throw refused;
        }
        // a provider the built-ins cannot use (its address refused by the egress policy, say)
        // must not keep the service from starting: they stay demonstrations
        LOG.log(
            Level.WARNING,
            "the built-in workflows cannot use provider ''{0}'', and stay demonstrations: {1}",
            model,
            refused.getMessage());
        workflows.installBuiltIns(BuiltInWorkflows.all());
      }
    }
    return workflows;
  }

  /**
   * The provider that the built-in {@code research} and {@code report} ask: the one named {@code
   * default}, else the first by name, of those with a {@code default-model}; null when there is
   * none, and they stay demonstrations.
   */
  static String builtInsModel(AgentsProperties agents) {
    List<String> withModel =
        agents.llm().providers().entrySet().stream()
            .filter(entry -> entry.getValue().defaultModel() != null)
            .filter(entry -> !entry.getValue().defaultModel().isBlank())
            .map(Map.Entry::getKey)
            .sorted()
            .toList();
    return withModel.contains("default") ? "default" : withModel.stream().findFirst().orElse(null);
  }

  @Bean
  ThreadService threadService(
      WorkflowThreadStore store, WorkflowService workflows, Clock clock, EngineSignal engine) {
    return new ThreadService(store, workflows, clock, engine);
  }

  /**
   * Bulk changes read the matching threads {@code orchestro.bulk.page-size} at a time (default
   * 500), each thread then changed in a write of its own.
   */
  @Bean
  BulkChangeService bulkChangeService(
      WorkflowThreadStore store,
      ThreadService threads,
      Clock clock,
      @Value("${orchestro.bulk.page-size:500}") int pageSize) {
    return new BulkChangeService(store, threads, clock, pageSize);
  }
}
