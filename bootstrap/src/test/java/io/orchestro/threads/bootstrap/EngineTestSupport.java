package io.orchestro.threads.bootstrap;

import io.orchestro.threads.application.testing.GateAgent;
import io.orchestro.threads.application.testing.InFlightAgent;
import io.orchestro.threads.application.testing.SettableClock;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * Beans shared by the tests that run threads in the whole application; the workflow shapes they put
 * are in the application module's test-jar ({@code WorkflowCommands}).
 */
final class EngineTestSupport {

  private EngineTestSupport() {}

  /**
   * A settable clock instead of the system clock, and the gate and in-flight agents next to the
   * built-ins.
   */
  @TestConfiguration(proxyBeanMethods = false)
  static class Beans {

    @Bean
    @Primary
    SettableClock testClock() {
      return SettableClock.runningWithTheSystemClock();
    }

    @Bean
    GateAgent gateAgent() {
      return new GateAgent();
    }

    @Bean
    InFlightAgent inFlightAgent() {
      return new InFlightAgent();
    }
  }
}
