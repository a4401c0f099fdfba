package io.orchestro.threads.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * Liveness over real HTTP: DOWN once a background loop has died (here the engine's dispatcher, on
 * an Error from its clock, which no loop survives), and still DOWN after the cause is gone, since a
 * dead loop does not come back; the restart that liveness asks for brings it UP again.
 */
class LivenessTest {

  @TempDir Path data;

  @Test
  void livenessIsDownOnceALoopDiedAndUpAgainAfterARestart() {
    try (ConfigurableApplicationContext first = start(DyingClockConfiguration.class)) {
      ApiClient api = ApiClient.of(first);
      assertThat(api.get("/actuator/health/liveness").status()).isEqualTo(200);
      DyingClock clock = first.getBean(DyingClock.class);

      clock.failing = true;
      await()
          .atMost(Duration.ofSeconds(30))
          .dontCatchUncaughtExceptions()
          .until(() -> api.get("/actuator/health/liveness").status() == 503);
      clock.failing = false;

      ApiClient.Reply liveness = api.get("/actuator/health/liveness");
      assertThat(liveness.body().at("/components/loops/status").asString()).isEqualTo("DOWN");
      // the clock is fine again, the engine's loop is still gone: only a restart helps
      assertThat(api.get("/actuator/health/liveness").status()).isEqualTo(503);
    }

    try (ConfigurableApplicationContext second = start()) {
      ApiClient api = ApiClient.of(second);
      assertThat(api.get("/actuator/health/liveness").status()).isEqualTo(200);
      String thread = api.createThread("after the restart", "general");
      api.awaitStatus(thread, "completed");
    }
  }

  private ConfigurableApplicationContext start(Class<?>... configurations) {
    return CommandLine.startInThisJvm(
        List.of(
            CommandLine.h2Files(data),
            "--orchestro.engine.poll-interval=100ms",
            "--orchestro.webhooks.enabled=false"),
        configurations);
  }

  /** The system clock, until it is made to throw an Error that no loop survives. */
  static final class DyingClock extends Clock {
    private final Clock system = Clock.systemUTC();
    volatile boolean failing;

    @Override
    public Instant instant() {
      if (failing) {
        throw new StackOverflowError("simulated: the engine's loop cannot survive this");
      }
      return system.instant();
    }

    @Override
    public ZoneId getZone() {
      return system.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  @TestConfiguration(proxyBeanMethods = false)
  static class DyingClockConfiguration {
    @Bean
    @Primary
    DyingClock dyingClock() {
      return new DyingClock();
    }
  }
}
