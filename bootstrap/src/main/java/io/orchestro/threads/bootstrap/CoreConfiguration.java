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
import java.time.Clock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The use cases (the agents are {@link AgentsConfiguration}'s). */
@Configuration(proxyBeanMethods = false)
class CoreConfiguration {

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
      WorkflowCatalog catalog, Agents agents, Clock clock, Environment environment) {
    WorkflowService workflows = new WorkflowService(catalog, agents, clock);
    if (!StoreCopyCommand.isRequested(environment)) {
      workflows.installBuiltIns(BuiltInWorkflows.all());
    }
    return workflows;
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
