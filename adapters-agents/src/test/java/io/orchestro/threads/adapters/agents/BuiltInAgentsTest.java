package io.orchestro.threads.adapters.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestro.threads.application.port.out.AttemptParkedException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** delay, echo and fail, as docs/api.md describes them. */
class BuiltInAgentsTest {

  private final Steps steps = new Steps();

  @Test
  void delayWaitsThenReturnsAndStopsAtOnceWhenCancelled() throws Exception {
    DelayAgent delay = new DelayAgent();
    assertThat(delay.run(steps.first("wait", Map.of("millis", 20))))
        .isEqualTo(Map.of("waited_millis", 20L));

    CompletableFuture<Map<String, Object>> long_ =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return delay.run(steps.first("wait", Map.of("millis", 600_000, "hold_slot", true)));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    steps.cancellation.cancel();
    assertThatThrownBy(() -> long_.get(5, java.util.concurrent.TimeUnit.SECONDS))
        .hasCauseInstanceOf(CancellationException.class);
  }

  @Test
  void aWaitOfFiveSecondsOrMoreIsParkedAndEndsOnceItsTimeHasCome() throws Exception {
    Instant now = Instant.parse("2026-12-01T08:00:00Z");
    DelayAgent delay = new DelayAgent(Clock.fixed(now, ZoneOffset.UTC));
    Map<String, Object> aDay = Map.of("millis", 86_400_000);

    assertThatThrownBy(() -> delay.run(steps.first("wait", aDay)))
        .isInstanceOfSatisfying(
            AttemptParkedException.class,
            parked -> assertThat(parked.until()).isEqualTo(now.plus(Duration.ofDays(1))));
    // woken before its time, it parks again until then
    Instant later = now.plusSeconds(60);
    assertThatThrownBy(() -> delay.run(steps.resumed("wait", aDay, later)))
        .isInstanceOfSatisfying(
            AttemptParkedException.class, parked -> assertThat(parked.until()).isEqualTo(later));
    assertThat(delay.run(steps.resumed("wait", aDay, now)))
        .isEqualTo(Map.of("waited_millis", 86_400_000L));
  }

  @Test
  void delayRefusesANegativeFractionalOrOverlongWait() {
    DelayAgent delay = new DelayAgent();
    assertThatThrownBy(() -> delay.checkConfig(Map.of("millis", -1), List.of()))
        .hasMessageContaining("'millis' must be from 0 to 31536000000, not -1");
    assertThatThrownBy(() -> delay.checkConfig(Map.of("millis", 1.5), List.of()))
        .hasMessageContaining("whole number");
    assertThatThrownBy(() -> delay.checkConfig(Map.of("hold_slot", "yes"), List.of()))
        .hasMessageContaining("'hold_slot' must be true or false");
    // 2^64 + 5 as a JSON reader gives it: refused, not wrapped round to a wait of 5 ms
    BigInteger wraps = BigInteger.TWO.pow(64).add(BigInteger.valueOf(5));
    assertThatThrownBy(() -> delay.checkConfig(Map.of("millis", wraps), List.of()))
        .hasMessageContaining("'millis' must be from 0 to 31536000000, not 18446744073709551621");
    assertThatThrownBy(() -> delay.checkConfig(Map.of("millis", 1e30), List.of()))
        .hasMessageContaining("must be from 0 to");
    delay.checkConfig(Map.of("millis", DelayAgent.MAX_MILLIS), List.of());
    delay.checkConfig(Map.of("millis", 2.0e3), List.of());
  }

  @Test
  void failRefusesMoreTimesThanAttemptsCanCount() {
    FailAgent fail = new FailAgent();
    assertThatThrownBy(() -> fail.checkConfig(Map.of("times", 1L << 32), List.of()))
        .hasMessageContaining("'times' must be from 0 to 2147483647, not 4294967296");
    fail.checkConfig(Map.of("times", Integer.MAX_VALUE), List.of());
  }

  @Test
  void echoRendersItsTemplateAndChecksItsPlaceholders() {
    EchoAgent echo = new EchoAgent(new Templates(Secrets.none()));
    steps.outputs = Map.of("plan", Map.of("text", "the plan"));

    assertThat(
            echo.run(
                steps.first("say", Map.of("template", "{{prompt}} / {{steps.plan.output.text}}"))))
        .isEqualTo(Map.of("text", "Summarise \"Q3\"\nsales / the plan"));
    assertThat(echo.run(steps.first("say", Map.of())))
        .isEqualTo(Map.of("text", "Summarise \"Q3\"\nsales"));
    assertThatThrownBy(
            () ->
                echo.checkConfig(
                    Map.of("template", "{{steps.plan.output.text}}"), List.of("other")))
        .hasMessageContaining("'plan' is not a step before this one");
    assertThatThrownBy(() -> echo.checkConfig(Map.of("template", 3), List.of()))
        .hasMessageContaining("'template' must be a string");
  }

  @Test
  void failFailsWhileTheAttemptIsAtMostTimesThenSucceeds() {
    FailAgent fail = new FailAgent();
    Map<String, Object> config = Map.of("message", "not yet", "times", 2);

    assertThatThrownBy(() -> fail.run(steps.attempt("review", config, 2))).hasMessage("not yet");
    assertThat(fail.run(steps.attempt("review", config, 3)))
        .isEqualTo(Map.of("succeeded_at_attempt", 3));
    assertThatThrownBy(() -> fail.run(steps.attempt("review", Map.of(), 1000)))
        .hasMessage("failed on purpose");
  }

  @Test
  void delayStopsAtOnceAlsoWhenCancelledBeforeItStarts() throws Exception {
    steps.cancellation.cancel();
    long started = System.nanoTime();
    assertThatThrownBy(() -> new DelayAgent().run(steps.first("wait", Map.of("millis", 4_000))))
        .isInstanceOf(CancellationException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
  }
}
