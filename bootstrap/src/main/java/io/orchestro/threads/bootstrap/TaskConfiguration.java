package io.orchestro.threads.bootstrap;

import io.orchestro.threads.application.engine.StepProgressPublisher;
import io.orchestro.threads.application.port.out.EngineSignal;
import io.orchestro.threads.application.port.out.TaskOffers;
import io.orchestro.threads.application.port.out.ThreadClaims;
import io.orchestro.threads.application.port.out.WorkerTaskStore;
import io.orchestro.threads.application.service.TaskService;
import io.orchestro.threads.application.service.WorkerAgent;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/** The task API and the {@code worker} agent that offers its tasks. */
@Configuration(proxyBeanMethods = false)
class TaskConfiguration {

  /**
   * The engine is reached lazily: it needs the agents, the {@code worker} agent among them, which
   * needs this service.
   *
   * @param otherNodes how the nodes sharing a PostgreSQL database tell each other of tasks offered;
   *     none on a store of one node
   * @param recheck how often waiting long polls look in the store anyway, for tasks whose
   *     announcement was missed (tasks offered on this node, or announced, reach them at once)
   */
  @Bean(destroyMethod = "close")
  TaskService taskService(
      WorkerTaskStore tasks,
      ThreadClaims claims,
      @Lazy EngineSignal engine,
      Clock clock,
      ObjectProvider<TaskOffers> otherNodes,
      @Value("${orchestro.tasks.recheck:5s}") Duration recheck,
      StepProgressPublisher progress) {
    return new TaskService(
        tasks,
        claims,
        engine,
        clock,
        otherNodes.getIfAvailable(() -> TaskOffers.THIS_NODE_ONLY),
        recheck,
        progress);
  }

  @Bean
  WorkerAgent workerAgent(WorkerTaskStore tasks, TaskService taskService, Clock clock) {
    return new WorkerAgent(tasks, taskService, clock);
  }
}
