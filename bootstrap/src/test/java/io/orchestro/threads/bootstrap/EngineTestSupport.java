package io.orchestro.threads.bootstrap;

import io.orchestro.threads.application.port.in.PutWorkflowUseCase.PutWorkflowCommand;
import io.orchestro.threads.domain.RetryPolicy;
import io.orchestro.threads.domain.StepDefinition;
import java.util.List;
import java.util.Map;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** Beans and workflow shapes shared by the engine tests. */
final class EngineTestSupport {

  private EngineTestSupport() {}

  /** A settable clock instead of the system clock, and the gate agent next to the built-ins. */
  @TestConfiguration(proxyBeanMethods = false)
  static class Beans {

    @Bean
    @Primary
    TestClock testClock() {
      return new TestClock();
    }

    @Bean
    GateAgent gateAgent() {
      return new GateAgent();
    }
  }

  static StepDefinition step(String name, String agent, Map<String, Object> config) {
    return new StepDefinition(name, agent, config, RetryPolicy.NONE, null);
  }

  static StepDefinition step(
      String name, String agent, Map<String, Object> config, RetryPolicy retry, Long timeout) {
    return new StepDefinition(name, agent, config, retry, timeout);
  }

  static PutWorkflowCommand workflow(String type, StepDefinition... steps) {
    return new PutWorkflowCommand(type, "test workflow", List.of(), List.of(steps));
  }
}
