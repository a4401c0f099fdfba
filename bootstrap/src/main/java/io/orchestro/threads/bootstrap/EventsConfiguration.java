package io.orchestro.threads.bootstrap;

import io.orchestro.threads.adapters.rest.EventStreamSettings;
import io.orchestro.threads.application.port.out.DeliveryObserver;
import io.orchestro.threads.application.port.out.ThreadEventLog;
import io.orchestro.threads.application.port.out.WorkflowThreadStore;
import io.orchestro.threads.application.service.EventBroadcaster;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The event broadcaster and what the event streams need. */
@Configuration(proxyBeanMethods = false)
class EventsConfiguration {

  /** Reads the event log for every watcher of this node, from start-up until the end. */
  @Bean(initMethod = "start", destroyMethod = "close")
  EventBroadcaster eventBroadcaster(
      ThreadEventLog log,
      WorkflowThreadStore threads,
      EventsProperties properties,
      Clock clock,
      DeliveryObserver observer) {
    return new EventBroadcaster(log, threads, properties.pollInterval(), clock, observer);
  }

  /**
   * One task per open stream, each mostly waiting for its next event: virtual threads where the JVM
   * has them, otherwise a pool that grows with the number of streams (idle threads end after a
   * minute). Stopping it interrupts the tasks, which close their streams.
   */
  @Bean(destroyMethod = "shutdownNow")
  ExecutorService eventStreamSenders() {
    return TaskThreads.virtualOr(Executors::newCachedThreadPool, "orchestro-event-stream-");
  }

  /**
   * Ends the open event streams first when the application stops: the web server's graceful
   * shutdown waits for open requests, and a stream would otherwise hold it up until its timeout.
   * Their clients reconnect (to another node, or to this one once it is back) with {@code
   * Last-Event-ID}.
   */
  @Bean
  SmartLifecycle eventStreamsLifecycle(ExecutorService eventStreamSenders) {
    return new StartStopLifecycle(() -> {}, eventStreamSenders::shutdownNow, true);
  }

  @Bean
  @ConditionalOnWebApplication
  EventStreamSettings eventStreamSettings(
      EventsProperties properties, ExecutorService eventStreamSenders) {
    return new EventStreamSettings(
        properties.heartbeat(), properties.clientBuffer(), eventStreamSenders);
  }
}
