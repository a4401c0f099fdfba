package io.orchestro.threads.bootstrap;

import io.micrometer.core.instrument.MeterRegistry;
import io.orchestro.threads.application.port.out.WorkflowThreadStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The service's own meters ({@link OrchestroMeters}), served with Spring Boot's at {@code
 * /actuator/prometheus}, and the thread id in the log context of the engine's work.
 */
@Configuration(proxyBeanMethods = false)
class TelemetryConfiguration {

  @Bean
  EngineTelemetry engineTelemetry(MeterRegistry registry) {
    return new EngineTelemetry(registry);
  }

  @Bean
  DeliveryTelemetry deliveryTelemetry(MeterRegistry registry) {
    return new DeliveryTelemetry(registry);
  }

  @Bean
  LlmTelemetry llmTelemetry(MeterRegistry registry) {
    return new LlmTelemetry(registry);
  }

  @Bean
  ThreadStatusGauges threadStatusGauges(WorkflowThreadStore store) {
    return new ThreadStatusGauges(store);
  }
}
