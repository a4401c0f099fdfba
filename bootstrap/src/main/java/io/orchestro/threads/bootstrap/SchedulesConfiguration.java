package io.orchestro.threads.bootstrap;

import io.orchestro.threads.application.engine.ThreadEngine;
import io.orchestro.threads.application.engine.WakeableLoop;
import io.orchestro.threads.application.port.out.CronCalendar;
import io.orchestro.threads.application.port.out.ScheduleStore;
import io.orchestro.threads.application.service.ScheduleService;
import io.orchestro.threads.application.service.ThreadService;
import io.orchestro.threads.application.service.WorkflowService;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Cron schedules: the use cases, and the loop that fires due schedules on every node that runs an
 * engine. Each node asks for due schedules every {@code orchestro.schedules.poll-interval} (1 s by
 * default): a due time's thread is created within about that long, then runs as any thread does.
 */
@Configuration(proxyBeanMethods = false)
class SchedulesConfiguration {

  @Bean
  CronCalendar cronCalendar() {
    return new SpringCronCalendar();
  }

  @Bean
  ScheduleService scheduleService(
      ScheduleStore store,
      CronCalendar calendar,
      WorkflowService workflows,
      ThreadService threads,
      Clock clock) {
    return new ScheduleService(store, calendar, workflows, threads, clock);
  }

  /**
   * Claims due schedules under this node's id with the engine's lease: a node that dies after the
   * claim leaves the schedule to another node once the lease has passed.
   */
  @Bean
  SmartLifecycle scheduleFiring(
      ScheduleService schedules,
      ThreadEngine engine,
      EngineProperties engineProperties,
      @Value("${orchestro.schedules.poll-interval:1s}") Duration pollInterval,
      @Value("${orchestro.schedules.enabled:true}") boolean enabled) {
    WakeableLoop loop =
        new WakeableLoop(
            "orchestro-schedules",
            pollInterval,
            woken -> schedules.fireDue(engine.nodeId(), engineProperties.lease()));
    return new StartStopLifecycle(loop::start, loop::close, enabled && engineProperties.enabled());
  }
}
