package io.orchestro.threads.domain;

import static io.orchestro.threads.domain.TestWorkflows.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ThreadStepTest {

  private static ThreadStep step(int attempts, int failures) {
    return new ThreadStep(
        "a", "delay", StepStatus.PENDING, attempts, failures, null, null, null, null);
  }

  @ParameterizedTest(name = "{0} attempts, {1} failures")
  @CsvSource({"-1, 0", "0, -1", "1, 2", "0, 1"})
  void impossibleAttemptCountsAreRejected(int attempts, int failures) {
    assertThatThrownBy(() -> step(attempts, failures))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("step a has impossible attempt counts");
  }

  @Test
  void aStepMayHaveFailedOnEveryAttempt() {
    assertThat(step(3, 3).failures()).isEqualTo(3);
  }

  @Test
  void aStepNeedsANameAnAgentAndAStatus() {
    assertThatThrownBy(() -> new ThreadStep("a", "delay", null, 0, 0, null, null, null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new ThreadStep(null, "delay", StepStatus.PENDING, 0, 0, null, null, null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new ThreadStep("a", null, StepStatus.PENDING, 0, 0, null, null, null, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theOutputCannotBeChanged() {
    ThreadStep step =
        new ThreadStep("a", "echo", StepStatus.COMPLETED, 1, 0, T0, T0, Map.of("text", "hi"), null);

    assertThatThrownBy(() -> step.output().put("text", "changed"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @ParameterizedTest
  @EnumSource(StepStatus.class)
  void stepStatusWireNamesAreLowerCaseAndParseBack(StepStatus status) {
    assertThat(status.wireName()).isEqualTo(status.name().toLowerCase());
    assertThat(StepStatus.fromWireName(status.wireName())).isEqualTo(status);
  }

  @Test
  void anUnknownStepStatusIsRejected() {
    assertThatThrownBy(() -> StepStatus.fromWireName("paused"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown step status 'paused'");
  }

  private static ThreadStep failed(int failures, Instant finishedAt, Instant dueAt) {
    return new ThreadStep(
        "a", "echo", StepStatus.PENDING, failures, failures, T0, finishedAt, null, "no", dueAt);
  }

  @Test
  void aStepThatNeverFailedMayStartAtOnce() {
    assertThat(failed(0, null, null).nextAttemptNotBefore(new RetryPolicy(3, 1000))).isNull();
  }

  @Test
  void aStepThatNeverFailedWaitsForTheTimeItsCalleeAskedFor() {
    Instant asked = T0.plusSeconds(30);

    assertThat(failed(0, null, asked).nextAttemptNotBefore(new RetryPolicy(3, 1000)))
        .isEqualTo(asked);
  }

  @ParameterizedTest(name = "backoff {0} ms, after {1} failures: {2} ms after the failure")
  @CsvSource({"1000, 1, 1000", "1000, 2, 2000", "1000, 3, 4000", "0, 2, 0"})
  void aFailedStepWaitsOutItsPolicysBackoffFromItsLastFailure(
      long backoffMillis, int failures, long waitMillis) {
    Instant failedAt = T0.plusSeconds(5);

    assertThat(
            failed(failures, failedAt, null)
                .nextAttemptNotBefore(new RetryPolicy(5, backoffMillis)))
        .isEqualTo(failedAt.plusMillis(waitMillis));
  }

  @Test
  void aCalleesLaterRetryAfterWinsOverAShorterBackoff() {
    Instant asked = T0.plusSeconds(60);

    assertThat(failed(1, T0, asked).nextAttemptNotBefore(new RetryPolicy(3, 1000)))
        .isEqualTo(asked);
  }

  @Test
  void aLongerBackoffWinsOverACalleesEarlierRetryAfter() {
    Instant asked = T0.plusMillis(500);

    assertThat(failed(2, T0, asked).nextAttemptNotBefore(new RetryPolicy(3, 1000)))
        .isEqualTo(T0.plusMillis(2000));
  }

  @Test
  void aFailedStepWithoutAFinishTimeWaitsOnlyForItsDueTime() {
    Instant asked = T0.plusSeconds(1);

    assertThat(failed(1, null, asked).nextAttemptNotBefore(new RetryPolicy(3, 60_000)))
        .isEqualTo(asked);
  }
}
