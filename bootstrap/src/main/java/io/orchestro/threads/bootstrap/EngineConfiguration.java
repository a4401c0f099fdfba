package io.orchestro.threads.bootstrap;

import io.orchestro.threads.application.agent.Agents;
import io.orchestro.threads.application.engine.EngineSettings;
import io.orchestro.threads.application.engine.StepProgressPublisher;
import io.orchestro.threads.application.engine.ThreadEngine;
import io.orchestro.threads.application.engine.ThreadLimits;
import io.orchestro.threads.application.engine.WakeableLoop;
import io.orchestro.threads.application.engine.WebhookDispatcher;
import io.orchestro.threads.application.port.out.EngineObserver;
import io.orchestro.threads.application.port.out.ThreadClaims;
import io.orchestro.threads.application.port.out.ThreadEventLog;
import io.orchestro.threads.application.port.out.WorkflowCatalog;
import io.orchestro.threads.application.service.EventBroadcaster;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The execution engine, its executor, and starting and stopping it with the application. */
@Configuration(proxyBeanMethods = false)
class EngineConfiguration {

  /**
   * Virtual threads where the JVM has them: a waiting step then costs almost nothing. On Java 17, a
   * pool big enough for every running thread's worker and its agent's attempt. Stopped without
   * interrupting ({@link TaskThreads#stopWithoutInterrupting}), after the engine has stopped.
   */
  @Bean(destroyMethod = "")
  ExecutorService engineExecutor(EngineProperties properties) {
    return TaskThreads.virtualOr(
        named -> Executors.newFixedThreadPool(2 * properties.maxRunningThreads(), named),
        "orchestro-worker-");
  }

  @Bean
  DisposableBean engineExecutorStop(ExecutorService engineExecutor) {
    return () -> TaskThreads.stopWithoutInterrupting(engineExecutor);
  }

  /** The steps' progress reports as {@code step_progress} events. */
  @Bean(destroyMethod = "close")
  StepProgressPublisher stepProgressPublisher(
      ThreadEventLog log, ThreadClaims claims, Clock clock, EventsProperties events) {
    return new StepProgressPublisher(log, claims, clock, events.progressInterval());
  }

  @Bean
  ThreadEngine threadEngine(
      ThreadClaims claims,
      WorkflowCatalog catalog,
      Agents agents,
      Clock clock,
      ExecutorService engineExecutor,
      EngineProperties properties,
      EngineObserver observer,
      ThreadLimits limits,
      StepProgressPublisher progress,
      @Value("${spring.datasource.url:}") String datasourceUrl) {
    boolean sharedDatabase = datasourceUrl.startsWith("jdbc:postgresql:");
    EngineSettings settings =
        new EngineSettings(
            properties.nodeId() != null ? properties.nodeId() : defaultNodeId(),
            properties.maxRunningThreads(),
            properties.lease(),
            properties.pollInterval(),
            properties.claimBatch(),
            properties.takeOverAtStart() != null ? properties.takeOverAtStart() : !sharedDatabase,
            properties.maxStepOutput().toBytes(),
            properties.maxThreadSize().toBytes(),
            properties.shutdownGrace(),
            properties.claimAhead());
    return new ThreadEngine(
        claims, catalog, agents, clock, engineExecutor, settings, observer, limits, progress);
  }

  /**
   * Starts the engine once the web server is up, and stops it before the store closes. Its stop
   * comes after the web server's graceful shutdown (no request can start a thread any more) and
   * before the server goes away; it runs on the closing thread, so Spring's {@code
   * spring.lifecycle.timeout-per-shutdown-phase} does not cut the engine's shutdown grace short.
   * With {@code orchestro.engine.enabled=false} it is not started at all.
   */
  @Bean
  SmartLifecycle threadEngineLifecycle(ThreadEngine engine, EngineProperties properties) {
    return new StartStopLifecycle(
        engine::start,
        engine::close,
        properties.enabled(),
        WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE - 512);
  }

  /**
   * Liveness: {@code loops}, whether the engine and the other background loops of this node run.
   * The event numbering exists with a database only, the webhook dispatcher when webhooks are on;
   * the retention loop runs only while a retention or resume window is set (alive otherwise).
   */
  @Bean
  LoopsHealthIndicator loopsHealthIndicator(
      ThreadEngine engine,
      EventBroadcaster eventBroadcaster,
      ObjectProvider<WebhookDispatcher> webhookDispatcher,
      @Qualifier("eventNumbering") ObjectProvider<WakeableLoop> eventNumbering,
      @Qualifier("retention") ObjectProvider<WakeableLoop> retention) {
    Map<String, BooleanSupplier> loops = new LinkedHashMap<>();
    loops.put("engine", engine::isAlive);
    loops.put("event_broadcaster", eventBroadcaster::isAlive);
    webhookDispatcher.ifAvailable(dispatcher -> loops.put("webhooks", dispatcher::isAlive));
    eventNumbering.ifAvailable(numbering -> loops.put("event_numbering", numbering::isAlive));
    retention.ifAvailable(loop -> loops.put("retention", loop::isAlive));
    return new LoopsHealthIndicator(loops);
  }

  private static String defaultNodeId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException noName) {
      host = "node";
    }
    // the random part keeps a restarted process that got the same pid from passing for its
    // predecessor
    return host
        + "-"
        + ManagementFactory.getRuntimeMXBean().getPid()
        + "-"
        + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000));
  }
}
