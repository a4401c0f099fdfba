package io.orchestro.threads.domain;

import static io.orchestro.threads.domain.TestWorkflows.T0;
import static io.orchestro.threads.domain.TestWorkflows.definition;
import static io.orchestro.threads.domain.TestWorkflows.pendingThread;
import static io.orchestro.threads.domain.TestWorkflows.threadIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Progress is derived from the steps: docs/api.md "The thread resource". */
class ProgressTest {

  private static Instant at(int seconds) {
    return T0.plusSeconds(seconds);
  }

  @ParameterizedTest(name = "{0} of {1} -> {2}%")
  @CsvSource({
    "0, 3, 0",
    "1, 3, 33",
    "2, 3, 66",
    "3, 3, 100",
    "1, 4, 25",
    "1, 7, 14",
    "6, 7, 85",
    "0, 1, 0",
    "1, 1, 100",
    "99, 100, 99",
    "2, 99, 2"
  })
  void percentIsHundredTimesCompletedOverTotalRoundedDown(int completed, int total, int percent) {
    Progress progress = Progress.of(completed, total, "x");

    assertThat(progress.percent()).isEqualTo(percent);
    assertThat(progress.completed()).isEqualTo(completed);
    assertThat(progress.total()).isEqualTo(total);
  }

  @ParameterizedTest(name = "{0} of {1}")
  @CsvSource({"0, 0", "-1, 3", "4, 3", "1, -1"})
  void impossibleCountsAreRejected(int completed, int total) {
    assertThatThrownBy(() -> new Progress(completed, total, null, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aPercentThatDoesNotMatchTheCountsIsRejected() {
    assertThatThrownBy(() -> new Progress(1, 3, "b", 34))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("floor");
  }

  @Test
  void aNewThreadHasNothingCompletedAndItsFirstStepIsCurrent() {
    WorkflowThread thread = pendingThread();

    assertThat(thread.progress()).isEqualTo(new Progress(0, 3, "a", 0));
  }

  @Test
  void theStepInFlightIsTheCurrentStep() {
    WorkflowThread thread = threadIn(ThreadStatus.RUNNING);
    thread.startStep("a", at(2));

    assertThat(thread.progress()).isEqualTo(new Progress(0, 3, "a", 0));
  }

  @Test
  void betweenStepsTheNextStepToRunIsCurrent() {
    WorkflowThread thread = threadIn(ThreadStatus.RUNNING);
    thread.startStep("a", at(2));
    thread.completeStep("a", Map.of(), at(3));

    assertThat(thread.progress()).isEqualTo(new Progress(1, 3, "b", 33));
  }

  @Test
  void twoOfThreeStepsIsSixtySixPercent() {
    WorkflowThread thread = threadIn(ThreadStatus.RUNNING);
    completeSteps(thread, "a", "b");
    thread.startStep("c", at(10));

    assertThat(thread.progress()).isEqualTo(new Progress(2, 3, "c", 66));
  }

  @Test
  void aCompletedThreadHasNoCurrentStep() {
    WorkflowThread thread = threadIn(ThreadStatus.COMPLETED);

    assertThat(thread.progress()).isEqualTo(new Progress(3, 3, null, 100));
  }

  @Test
  void aPausedThreadWhoseStepIsStillInFlightShowsThatStepAsCurrent() {
    WorkflowThread thread = threadIn(ThreadStatus.RUNNING);
    thread.startStep("a", at(2));
    thread.completeStep("a", Map.of(), at(3));
    thread.startStep("b", at(4));

    thread.pause(at(5));

    assertThat(thread.status()).isEqualTo(ThreadStatus.PAUSED);
    assertThat(thread.step("b").orElseThrow().status()).isEqualTo(StepStatus.RUNNING);
    assertThat(thread.progress()).isEqualTo(new Progress(1, 3, "b", 33));

    thread.completeStep("b", Map.of(), at(6));

    assertThat(thread.status()).isEqualTo(ThreadStatus.PAUSED);
    assertThat(thread.progress()).isEqualTo(new Progress(2, 3, "c", 66));
  }

  @Test
  void aFailedThreadShowsItsFailedStepAsCurrent() {
    WorkflowThread thread = threadIn(ThreadStatus.RUNNING);
    thread.startStep("a", at(2));
    thread.completeStep("a", Map.of(), at(3));
    thread.startStep("b", at(4));
    thread.failStep("b", "boom", RetryPolicy.NONE, at(5));

    assertThat(thread.status()).isEqualTo(ThreadStatus.FAILED);
    assertThat(thread.progress()).isEqualTo(new Progress(1, 3, "b", 33));
  }

  @Test
  void aStepWaitingForItsNextAttemptIsCurrent() {
    WorkflowThread thread = threadIn(ThreadStatus.RUNNING);
    thread.startStep("a", at(2));
    thread.failStep("a", "flaky", new RetryPolicy(3, 100), at(3));

    assertThat(thread.step("a").orElseThrow().status()).isEqualTo(StepStatus.PENDING);
    assertThat(thread.progress()).isEqualTo(new Progress(0, 3, "a", 0));
  }

  @Test
  void totalStepsIsTheNumberOfStepsOfTheDefinition() {
    WorkflowThread thread =
        threadIn(ThreadStatus.COMPLETED, definition("seven", "s1", "s2", "s3", "s4", "s5", "s6"));

    assertThat(thread.progress()).isEqualTo(new Progress(6, 6, null, 100));
  }

  private static void completeSteps(WorkflowThread thread, String... names) {
    int second = 2;
    for (String name : names) {
      thread.startStep(name, at(second++));
      thread.completeStep(name, Map.of("done", name), at(second++));
    }
  }
}
