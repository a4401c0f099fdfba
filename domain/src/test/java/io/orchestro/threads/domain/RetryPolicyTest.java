package io.orchestro.threads.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RetryPolicyTest {

  @Test
  void noRetryMeansOneAttemptWithoutWaiting() {
    assertThat(RetryPolicy.NONE).isEqualTo(new RetryPolicy(1, 0));
    assertThat(RetryPolicy.NONE.allowsAnotherAttempt(0)).isTrue();
    assertThat(RetryPolicy.NONE.allowsAnotherAttempt(1)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 50, 100})
  void maxAttemptsFromOneToAHundredAreAccepted(int maxAttempts) {
    assertThat(new RetryPolicy(maxAttempts, 0).maxAttempts()).isEqualTo(maxAttempts);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 101, Integer.MAX_VALUE})
  void maxAttemptsOutsideOneToAHundredAreRejected(int maxAttempts) {
    assertThatThrownBy(() -> new RetryPolicy(maxAttempts, 0))
        .isInstanceOf(InvalidWorkflowDefinitionException.class)
        .hasMessage("retry.max_attempts must be between 1 and 100");
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, 200, 600_000})
  void backoffsFromZeroToTenMinutesAreAccepted(long backoffMillis) {
    assertThat(new RetryPolicy(3, backoffMillis).backoffMillis()).isEqualTo(backoffMillis);
  }

  @ParameterizedTest
  @ValueSource(longs = {-1, 600_001, Long.MAX_VALUE})
  void backoffsOutsideZeroToTenMinutesAreRejected(long backoffMillis) {
    assertThatThrownBy(() -> new RetryPolicy(3, backoffMillis))
        .isInstanceOf(InvalidWorkflowDefinitionException.class)
        .hasMessage("retry.backoff_millis must be between 0 and 600000");
  }

  @ParameterizedTest(name = "max {0}, after {1} failures: another attempt? {2}")
  @CsvSource({
    "3, 0, true",
    "3, 1, true",
    "3, 2, true",
    "3, 3, false",
    "3, 4, false",
    "1, 0, true",
    "1, 1, false",
    "100, 99, true",
    "100, 100, false"
  })
  void aRunOfAStepMayFailMaxAttemptsTimes(int maxAttempts, int failures, boolean another) {
    assertThat(new RetryPolicy(maxAttempts, 0).allowsAnotherAttempt(failures)).isEqualTo(another);
  }

  @ParameterizedTest(name = "backoff {0} ms, after {1} failures: wait {2} ms")
  @CsvSource({
    "200, 1, 200",
    "200, 2, 400",
    "200, 3, 800",
    "200, 4, 1600",
    "200, 0, 200",
    "0, 5, 0",
    "1, 11, 1024"
  })
  void theWaitDoublesAfterEachFailure(long backoffMillis, int failures, long waitMillis) {
    assertThat(new RetryPolicy(100, backoffMillis).backoffAfter(failures))
        .isEqualTo(Duration.ofMillis(waitMillis));
  }

  @ParameterizedTest(name = "backoff {0} ms, after {1} failures")
  @CsvSource({
    "600000, 1",
    "600000, 2",
    "400000, 2",
    "1000, 11",
    "1, 31",
    "1, 32",
    "600000, 40",
    "600000, 100",
    "600000, 2147483647"
  })
  void theWaitNeverExceedsTenMinutesAndNeverOverflows(long backoffMillis, int failures) {
    assertThat(new RetryPolicy(100, backoffMillis).backoffAfter(failures))
        .isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void tenMinutesIsTheLongestWait() {
    assertThat(RetryPolicy.MAX_BACKOFF).isEqualTo(Duration.ofMinutes(10));
  }
}
