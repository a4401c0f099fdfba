package io.orchestro.threads.domain;

import static io.orchestro.threads.domain.TestWorkflows.T0;
import static io.orchestro.threads.domain.TestWorkflows.definitionWithRetry;
import static io.orchestro.threads.domain.TestWorkflows.threadIn;
import static io.orchestro.threads.domain.ThreadEventType.STEP_COMPLETED;
import static io.orchestro.threads.domain.ThreadEventType.STEP_FAILED;
import static io.orchestro.threads.domain.ThreadEventType.STEP_STARTED;
import static io.orchestro.threads.domain.ThreadEventType.THREAD_COMPLETED;
import static io.orchestro.threads.domain.ThreadEventType.THREAD_FAILED;
import static io.orchestro.threads.domain.ThreadEventType.THREAD_PAUSED;
import static io.orchestro.threads.domain.ThreadEventType.THREAD_RECOVERED;
import static io.orchestro.threads.domain.ThreadEventType.THREAD_RESUMED;
import static io.orchestro.threads.domain.ThreadStatus.COMPLETED;
import static io.orchestro.threads.domain.ThreadStatus.FAILED;
import static io.orchestro.threads.domain.ThreadStatus.PAUSED;
import static io.orchestro.threads.domain.ThreadStatus.PENDING;
import static io.orchestro.threads.domain.ThreadStatus.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Pausing while a step is in flight and taking a thread over after a crash: docs/api.md "Lifecycle
 * rules", "Events" and "Workflow definitions".
 */
class WorkflowThreadPauseAndRecoveryTest {

  private static final RetryPolicy THREE_TIMES = new RetryPolicy(3, 100);

  private static Instant at(int seconds) {
    return T0.plusSeconds(seconds);
  }

  private static List<ThreadEvent> eventsFrom(WorkflowThread thread, int from) {
    List<ThreadEvent> events = thread.newEvents();
    return events.subList(from, events.size());
  }

  /** A running thread (steps a, b, c): a completed, b in flight. */
  private static WorkflowThread runningWithBInFlight() {
    WorkflowThread thread = threadIn(RUNNING);
    thread.startStep("a", at(2));
    thread.completeStep("a", Map.of("out", "A"), at(3));
    thread.startStep("b", at(4));
    return thread;
  }

  @Nested
  class PausingWithAStepInFlight {

    @Test
    void theThreadIsPausedAtOnceButThreadPausedWaitsForTheStep() {
      WorkflowThread thread = runningWithBInFlight();
      int events = thread.newEvents().size();

      boolean changed = thread.pause(at(5));

      assertThat(changed).isTrue();
      assertThat(thread.status()).isEqualTo(PAUSED);
      assertThat(thread.lastUpdated()).isEqualTo(at(5));
      assertThat(thread.runningStep()).map(ThreadStep::name).contains("b");
      assertThat(eventsFrom(thread, events)).isEmpty();
    }

    @Test
    void thePauseSettlesWhenTheStepsResultIsRecordedAndNoFurtherStepStarts() {
      WorkflowThread thread = runningWithBInFlight();
      thread.pause(at(5));
      int events = thread.newEvents().size();

      thread.completeStep("b", Map.of("out", "B"), at(6));

      assertThat(thread.status()).isEqualTo(PAUSED);
      assertThat(thread.step("b").orElseThrow().status()).isEqualTo(StepStatus.COMPLETED);
      assertThat(eventsFrom(thread, events))
          .extracting(ThreadEvent::type, ThreadEvent::status, ThreadEvent::step, ThreadEvent::at)
          .containsExactly(
              tuple(STEP_COMPLETED, PAUSED, "b", at(6)), tuple(THREAD_PAUSED, PAUSED, null, at(6)));
      assertThat(eventsFrom(thread, events))
          .extracting(ThreadEvent::progress)
          .containsOnly(Progress.of(2, 3, "c"));
      assertThat(thread.nextStepToRun()).isEmpty();
      assertThatThrownBy(() -> thread.startStep("c", at(7)))
          .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aFailedAttemptWithBudgetLeftAlsoSettlesThePauseAndResumeRunsTheNextAttempt() {
      WorkflowThread thread = threadIn(RUNNING, definitionWithRetry("test", 3, "a", "b"));
      thread.startStep("a", at(2));
      thread.pause(at(3));
      int events = thread.newEvents().size();

      boolean threadFailed = thread.failStep("a", "flaky", THREE_TIMES, at(4));

      assertThat(threadFailed).isFalse();
      assertThat(thread.status()).isEqualTo(PAUSED);
      assertThat(eventsFrom(thread, events))
          .extracting(ThreadEvent::type)
          .containsExactly(STEP_FAILED, THREAD_PAUSED);

      thread.resume(at(5));
      thread.start(at(6));

      assertThat(thread.nextStepToRun()).map(ThreadStep::name).contains("a");
      assertThat(thread.startStep("a", at(7)).attempts()).isEqualTo(2);
    }

    @Test
    void pausingAgainBeforeTheStepFinishesChangesNothingAndThePauseSettlesOnce() {
      WorkflowThread thread = runningWithBInFlight();
      thread.pause(at(5));

      boolean changed = thread.pause(at(6));
      thread.completeStep("b", Map.of(), at(7));

      assertThat(changed).isFalse();
      assertThat(thread.newEvents())
          .extracting(ThreadEvent::type)
          .filteredOn(THREAD_PAUSED::equals)
          .hasSize(1);
    }

    @Test
    void resumingAfterThePauseSettledRunsTheNextStep() {
      WorkflowThread thread = runningWithBInFlight();
      thread.pause(at(5));
      thread.completeStep("b", Map.of(), at(6));
      int events = thread.newEvents().size();

      assertThat(thread.resume(at(7))).isTrue();
      assertThat(thread.status()).isEqualTo(PENDING);
      thread.start(at(8));
      thread.startStep("c", at(9));
      thread.completeStep("c", Map.of(), at(10));

      assertThat(thread.status()).isEqualTo(COMPLETED);
      assertThat(eventsFrom(thread, events))
          .extracting(ThreadEvent::type, ThreadEvent::status)
          .containsExactly(
              tuple(THREAD_RESUMED, PENDING),
              tuple(STEP_STARTED, RUNNING),
              tuple(STEP_COMPLETED, RUNNING),
              tuple(THREAD_COMPLETED, COMPLETED));
    }

    @Test
    void resumedBeforeTheStepFinishedTheThreadWaitsPendingForTheEngineWithoutThreadPaused() {
      WorkflowThread thread = runningWithBInFlight();
      thread.pause(at(5));
      thread.resume(at(6));
      int events = thread.newEvents().size();

      thread.completeStep("b", Map.of(), at(7));

      assertThat(thread.status()).isEqualTo(PENDING);
      assertThat(eventsFrom(thread, events))
          .extracting(ThreadEvent::type, ThreadEvent::status)
          .containsExactly(tuple(STEP_COMPLETED, PENDING));
      assertThat(thread.newEvents()).extracting(ThreadEvent::type).doesNotContain(THREAD_PAUSED);

      thread.start(at(8));

      assertThat(thread.nextStepToRun()).map(ThreadStep::name).contains("c");
    }

    @Test
    void resumedBeforeTheLastStepFinishedTheThreadCompletes() {
      WorkflowThread thread = runningWithBInFlight();
      thread.completeStep("b", Map.of(), at(5));
      thread.startStep("c", at(6));
      thread.pause(at(7));
      thread.resume(at(8));
      int events = thread.newEvents().size();

      thread.completeStep("c", Map.of(), at(9));

      assertThat(thread.status()).isEqualTo(COMPLETED);
      assertThat(thread.finishedAt()).isEqualTo(at(9));
      assertThat(eventsFrom(thread, events))
          .extracting(ThreadEvent::type, ThreadEvent::status)
          .containsExactly(tuple(STEP_COMPLETED, PENDING), tuple(THREAD_COMPLETED, COMPLETED));
    }

    @Test
    void resumedBeforeTheStepUsedUpItsAttemptsTheThreadFails() {
      WorkflowThread thread = runningWithBInFlight();
      thread.pause(at(5));
      thread.resume(at(6));
      int events = thread.newEvents().size();

      boolean threadFailed = thread.failStep("b", "boom", RetryPolicy.NONE, at(7));

      assertThat(threadFailed).isTrue();
      assertThat(thread.status()).isEqualTo(FAILED);
      assertThat(thread.errorMessage()).isEqualTo("boom");
      assertThat(eventsFrom(thread, events))
          .extracting(ThreadEvent::type, ThreadEvent::status)
          .containsExactly(tuple(STEP_FAILED, PENDING), tuple(THREAD_FAILED, FAILED));
    }
  }

  @Nested
  class PausingWithNoStepInFlight {

    @Test
    void aPauseBetweenStepsSettlesAtOnce() {
      WorkflowThread thread = runningWithBInFlight();
      thread.completeStep("b", Map.of(), at(5));
      int events = thread.newEvents().size();

      thread.pause("an-admin", at(6));

      assertThat(eventsFrom(thread, events))
          .as("the event names who paused it, and stays the owner's")
          .singleElement()
          .isEqualTo(
              new ThreadEvent(
                  THREAD_PAUSED,
                  thread.id(),
                  at(6),
                  PAUSED,
                  null,
                  Progress.of(2, 3, "c"),
                  Caller.LOCAL_OWNER,
                  "an-admin"));
    }

    @Test
    void aPauseWhileAStepWaitsForItsRetryBackoffSettlesAtOnceAndResumeRunsTheNextAttempt() {
      WorkflowThread thread = threadIn(RUNNING, definitionWithRetry("test", 3, "a", "b"));
      thread.startStep("a", at(2));
      thread.failStep("a", "flaky", THREE_TIMES, at(3));
      int events = thread.newEvents().size();

      thread.pause(at(4));

      assertThat(eventsFrom(thread, events))
          .extracting(ThreadEvent::type)
          .containsExactly(THREAD_PAUSED);
      assertThat(thread.nextStepToRun()).isEmpty();

      thread.resume(at(5));
      thread.start(at(6));

      assertThat(thread.nextStepToRun()).map(ThreadStep::name).contains("a");
      ThreadStep nextAttempt = thread.startStep("a", at(7));
      assertThat(nextAttempt.attempts()).isEqualTo(2);
      assertThat(nextAttempt.failures()).isEqualTo(1);
    }
  }

  @Nested
  class Recovering {

    @Test
    void aStepCutShortGoesBackToPendingWithItsAttemptCountedButNoFailure() {
      WorkflowThread thread = runningWithBInFlight();
      int events = thread.newEvents().size();

      thread.recover(at(20));

      assertThat(thread.status()).isEqualTo(RUNNING);
      assertThat(thread.lastUpdated()).isEqualTo(at(20));
      assertThat(thread.step("a").orElseThrow().status()).isEqualTo(StepStatus.COMPLETED);
      assertThat(thread.step("b").orElseThrow())
          .extracting(
              ThreadStep::status,
              ThreadStep::attempts,
              ThreadStep::failures,
              ThreadStep::finishedAt,
              ThreadStep::error)
          .containsExactly(StepStatus.PENDING, 1, 0, null, null);
      assertThat(eventsFrom(thread, events))
          .singleElement()
          .isEqualTo(
              new ThreadEvent(
                  THREAD_RECOVERED, thread.id(), at(20), RUNNING, "b", Progress.of(1, 3, "b")));
    }

    @Test
    void theRecoveredThreadReRunsTheStepThatWasCutShort() {
      WorkflowThread thread = runningWithBInFlight();
      thread.recover(at(20));
      int events = thread.newEvents().size();

      thread.start(at(21));

      assertThat(thread.nextStepToRun()).map(ThreadStep::name).contains("b");
      assertThat(thread.startStep("b", at(22)).attempts()).isEqualTo(2);
      assertThat(eventsFrom(thread, events))
          .extracting(ThreadEvent::type)
          .containsExactly(STEP_STARTED);
    }

    @Test
    void anAttemptCutShortDoesNotUseUpTheFailureBudget() {
      RetryPolicy twice = new RetryPolicy(2, 100);
      WorkflowThread thread = threadIn(RUNNING, definitionWithRetry("test", 2, "a"));
      thread.startStep("a", at(2));
      thread.failStep("a", "first", twice, at(3));
      thread.startStep("a", at(4));
      thread.recover(at(5));
      thread.startStep("a", at(6));

      boolean threadFailed = thread.failStep("a", "second", twice, at(7));

      assertThat(threadFailed).isTrue();
      assertThat(thread.step("a").orElseThrow())
          .extracting(ThreadStep::attempts, ThreadStep::failures)
          .containsExactly(3, 2);
    }

    @Test
    void aThreadPausedWhileItsStepWasCutShortSettlesAsPaused() {
      WorkflowThread thread = runningWithBInFlight();
      thread.pause(at(5));
      int events = thread.newEvents().size();

      thread.recover(at(20));

      assertThat(thread.status()).isEqualTo(PAUSED);
      assertThat(thread.runningStep()).isEmpty();
      assertThat(thread.step("b").orElseThrow().status()).isEqualTo(StepStatus.PENDING);
      assertThat(eventsFrom(thread, events))
          .extracting(ThreadEvent::type, ThreadEvent::status, ThreadEvent::step)
          .containsExactly(
              tuple(THREAD_RECOVERED, PAUSED, "b"), tuple(THREAD_PAUSED, PAUSED, null));

      thread.resume(at(21));
      thread.start(at(22));

      assertThat(thread.nextStepToRun()).map(ThreadStep::name).contains("b");
    }

    @Test
    void onlyAThreadWithAStepCutShortCanBeRecovered() {
      WorkflowThread thread = runningWithBInFlight();
      thread.completeStep("b", Map.of(), at(5));
      ThreadSnapshot before = thread.snapshot();

      assertThatThrownBy(() -> thread.recover(at(20)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("no step to recover");
      assertThat(thread.snapshot()).isEqualTo(before);
    }
  }
}
