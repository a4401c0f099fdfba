package io.orchestro.threads.bootstrap;

import io.orchestro.threads.application.engine.WakeableLoop;
import io.orchestro.threads.application.port.out.ThreadEventLog;
import io.orchestro.threads.application.port.out.WebhookStore;
import io.orchestro.threads.application.port.out.WorkflowThreadStore;
import io.orchestro.threads.application.service.RetentionService;
import io.orchestro.threads.domain.ThreadStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Retention: a loop of its own on every node, off the engine's path, while anything is set. */
@Configuration(proxyBeanMethods = false)
class RetentionConfiguration {

  @Bean
  RetentionService retentionService(
      WorkflowThreadStore threads,
      ThreadEventLog events,
      WebhookStore webhooks,
      Clock clock,
      RetentionProperties retention,
      EventsProperties eventsProperties) {
    Map<ThreadStatus, Duration> ages = new EnumMap<>(ThreadStatus.class);
    if (retention.completed() != null) {
      ages.put(ThreadStatus.COMPLETED, retention.completed());
    }
    if (retention.failed() != null) {
      ages.put(ThreadStatus.FAILED, retention.failed());
    }
    return new RetentionService(
        threads,
        events,
        webhooks,
        clock,
        ages,
        eventsProperties.resumeWindow(),
        retention.batchSize());
  }

  @Bean
  @Qualifier("retention")
  WakeableLoop retentionLoop(RetentionService retention, RetentionProperties properties) {
    return new WakeableLoop(
        "orchestro-retention", properties.interval(), woken -> retention.runOnce());
  }

  /**
   * Started with the application when there is something to keep small, stopped before the store.
   */
  @Bean
  SmartLifecycle retentionLifecycle(
      @Qualifier("retention") WakeableLoop retentionLoop, RetentionService retention) {
    return new StartStopLifecycle(
        retentionLoop::start, retentionLoop::close, retention.isEnabled());
  }
}
