package io.orchestro.threads.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orchestro.threads.application.port.out.EngineObserver.Scope;
import io.orchestro.threads.domain.ThreadId;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * What the engine reports, as meters and in the log context (the thread id: set for the work on a
 * thread, and gone after it). What the engine reports when is tested in the application module.
 */
class EngineTelemetryTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final EngineTelemetry telemetry = new EngineTelemetry(registry);

  @AfterEach
  void clearTheLogContext() {
    MDC.clear();
  }

  @Test
  void theThreadIdIsInTheLogContextOnlyWhileTheWorkOnThatThreadLasts() {
    ThreadId id = ThreadId.generate();

    try (Scope working = telemetry.workingOn(id)) {
      assertThat(MDC.get(EngineTelemetry.THREAD_ID)).isEqualTo(id.toString());
    }

    assertThat(MDC.get(EngineTelemetry.THREAD_ID)).isNull();
  }

  @Test
  void anInnerScopeGivesTheOuterThreadIdBackWhenItCloses() {
    ThreadId outer = ThreadId.generate();
    ThreadId inner = ThreadId.generate();

    try (Scope outerWork = telemetry.workingOn(outer)) {
      try (Scope innerWork = telemetry.workingOn(inner)) {
        assertThat(MDC.get(EngineTelemetry.THREAD_ID)).isEqualTo(inner.toString());
      }
      assertThat(MDC.get(EngineTelemetry.THREAD_ID)).isEqualTo(outer.toString());
    }
    assertThat(MDC.get(EngineTelemetry.THREAD_ID)).isNull();
  }

  @Test
  void claimLagsAreTimedPerWorkflowType() {
    telemetry.claimed("lagging", Duration.ZERO);
    telemetry.claimed("lagging", Duration.ofSeconds(30));
    telemetry.claimed("other", Duration.ofSeconds(90));

    Timer lag = registry.get(OrchestroMeters.CLAIM_LAG).tag("workflow_type", "lagging").timer();
    assertThat(lag.count()).isEqualTo(2);
    assertThat(lag.max(TimeUnit.SECONDS)).isEqualTo(30.0);
    assertThat(lag.totalTime(TimeUnit.SECONDS)).isEqualTo(30.0);
  }
}
