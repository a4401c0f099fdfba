package io.orchestro.threads.bootstrap;

import io.orchestro.threads.application.engine.StepProgressPublisher;
import io.orchestro.threads.application.port.out.EngineSignal;
import io.orchestro.threads.application.port.out.ThreadClaims;
import io.orchestro.threads.application.port.out.WorkerTaskStore;
import io.orchestro.threads.application.service.TaskService;
import io.orchestro.threads.application.service.WorkerAgent;
import java.time.Clock;
import java.time.Duration;
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
   * @param recheck how often waiting long polls look in the store for tasks offered on other nodes
   *     (tasks offered on this node reach them at once)
   */
  @Bean(destroyMethod = "close")
  TaskService taskService(
      WorkerTaskStore tasks,
      ThreadClaims claims,
      @Lazy EngineSignal engine,
      Clock clock,
      @Value("${orchestro.tasks.recheck:1s}") Duration recheck,
      StepProgressPublisher progress) {
    return new TaskService(tasks, claims, engine, clock, recheck, progress);
  }

  @Bean
  WorkerAgent workerAgent(WorkerTaskStore tasks, TaskService taskService, Clock clock) {
    return new WorkerAgent(tasks, taskService, clock);
  }
}
