package io.orchestro.threads.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orchestro.threads.application.port.out.EngineObserver.Scope;
import io.orchestro.threads.domain.ThreadId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The thread id in the log context: set for the work on a thread, and gone after it. */
class EngineTelemetryTest {

  private final EngineTelemetry telemetry = new EngineTelemetry(new SimpleMeterRegistry());

  @AfterEach
  void clearTheLogContext() {
    MDC.clear();
  }

  @Test
  void theThreadIdIsInTheLogContextOnlyWhileTheWorkOnThatThreadLasts() {
    ThreadId id = ThreadId.random();

    try (Scope working = telemetry.workingOn(id)) {
      assertThat(MDC.get(EngineTelemetry.THREAD_ID)).isEqualTo(id.toString());
    }

    assertThat(MDC.get(EngineTelemetry.THREAD_ID)).isNull();
  }

  @Test
  void anInnerScopeGivesTheOuterThreadIdBackWhenItCloses() {
    ThreadId outer = ThreadId.random();
    ThreadId inner = ThreadId.random();

    try (Scope outerWork = telemetry.workingOn(outer)) {
      try (Scope innerWork = telemetry.workingOn(inner)) {
        assertThat(MDC.get(EngineTelemetry.THREAD_ID)).isEqualTo(inner.toString());
      }
      assertThat(MDC.get(EngineTelemetry.THREAD_ID)).isEqualTo(outer.toString());
    }
    assertThat(MDC.get(EngineTelemetry.THREAD_ID)).isNull();
  }
}
