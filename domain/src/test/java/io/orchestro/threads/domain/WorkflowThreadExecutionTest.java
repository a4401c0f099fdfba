package io.orchestro.threads.domain;

import static io.orchestro.threads.domain.TestWorkflows.T0;
import static io.orchestro.threads.domain.TestWorkflows.definition;
import static io.orchestro.threads.domain.TestWorkflows.definitionWithRetry;
import static io.orchestro.threads.domain.TestWorkflows.pendingThread;
import static io.orchestro.threads.domain.TestWorkflows.request;
import static io.orchestro.threads.domain.TestWorkflows.threadIn;
import static io.orchestro.threads.domain.ThreadEventType.STEP_COMPLETED;
import static io.orchestro.threads.domain.ThreadEventType.STEP_FAILED;
import static io.orchestro.threads.domain.ThreadEventType.STEP_STARTED;
import static io.orchestro.threads.domain.ThreadEventType.THREAD_COMPLETED;
import static io.orchestro.threads.domain.ThreadEventType.THREAD_CREATED;
import static io.orchestro.threads.domain.ThreadEventType.THREAD_FAILED;
import static io.orchestro.threads.domain.ThreadEventType.THREAD_RETRIED;
import static io.orchestro.threads.domain.ThreadEventType.THREAD_STARTED;
import static io.orchestro.threads.domain.ThreadStatus.COMPLETED;
import static io.orchestro.threads.domain.ThreadStatus.FAILED;
import static io.orchestro.threads.domain.ThreadStatus.PENDING;
import static io.orchestro.threads.domain.ThreadStatus.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** The engine's moves on a thread and the events they record: docs/api.md "Events". */
class WorkflowThreadExecutionTest {

  private static Instant at(int seconds) {
    return T0.plusSeconds(seconds);
  }

  /** The events recorded from position {@code from} on. */
  private static List<ThreadEvent> eventsFrom(WorkflowThread thread, int from) {
    List<ThreadEvent> events = thread.newEvents();
    return events.subList(from, events.size());
  }

  @Nested
  class Creating {

    @Test
    void aThreadBelongsToItsCreatorAndItsEventsNameWhoCausedThem() {
      WorkflowThread thread =
          WorkflowThread.create(
              ThreadId.generate(), "alice", request("Plan"), definition("research", "plan"), T0);
      thread.start(T0);
      thread.startStep("plan", T0);
      WorkflowThread restored = WorkflowThread.restore(thread.snapshot());

      assertThat(restored.owner()).isEqualTo("alice");
      assertThat(thread.newEvents())
          .extracting(ThreadEvent::type, ThreadEvent::owner, ThreadEvent::actor)
          .containsExactly(
              tuple(ThreadEventType.THREAD_CREATED, "alice", "alice"),
              tuple(ThreadEventType.THREAD_STARTED, "alice", Caller.ENGINE_ACTOR),
              tuple(ThreadEventType.STEP_STARTED, "alice", Caller.ENGINE_ACTOR));
    }

    @Test
    void aNewThreadIsPendingWithEveryStepPendingAndRecordsThreadCreated() {
      ThreadId id = ThreadId.generate();
      ThreadRequest request = request("Summarise the Q3 sales report");

      WorkflowThread thread =
          WorkflowThread.create(id, request, definition("research", "plan", "draft"), T0);

      assertThat(thread.id()).isEqualTo(id);
      assertThat(thread.status()).isEqualTo(PENDING);
      assertThat(thread.title()).isEqualTo("Workflow - Summarise the Q3 sales report");
      assertThat(thread.workflowType()).isEqualTo("research");
      assertThat(thread.workflowVersion()).isEqualTo(1);
      assertThat(thread.request()).isEqualTo(request);
      assertThat(thread.input()).isEqualTo(Map.of("prompt", "Summarise the Q3 sales report"));
      assertThat(thread.createdAt()).isEqualTo(T0);
      assertThat(thread.lastUpdated()).isEqualTo(T0);
      assertThat(thread.startTime()).isNull();
      assertThat(thread.finishedAt()).isNull();
      assertThat(thread.errorMessage()).isNull();
      assertThat(thread.version()).isZero();
      assertThat(thread.steps())
          .extracting(
              ThreadStep::name,
              ThreadStep::agent,
              ThreadStep::status,
              ThreadStep::attempts,
              ThreadStep::startedAt,
              ThreadStep::output,
              ThreadStep::error)
          .containsExactly(
              tuple("plan", "delay", StepStatus.PENDING, 0, null, null, null),
              tuple("draft", "delay", StepStatus.PENDING, 0, null, null, null));
      assertThat(thread.newEvents())
          .singleElement()
          .isEqualTo(
              new ThreadEvent(
                  THREAD_CREATED,
                  id,
                  T0,
                  PENDING,
                  null,
                  Progress.of(0, 2, "plan"),
                  Caller.LOCAL_OWNER,
                  Caller.LOCAL_OWNER));
    }

    @Test
    void aThreadKeepsTheVersionOfTheDefinitionItWasCreatedWith() {
      WorkflowThread thread =
          WorkflowThread.create(
              ThreadId.generate(), request("x"), definition("test", "a").withVersion(3), T0);

      assertThat(thread.workflowVersion()).isEqualTo(3);
    }

    @Test
    void theStepsCannotBeChangedFromOutside() {
      WorkflowThread thread = pendingThread();

      assertThatThrownBy(() -> thread.steps().clear())
          .isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> thread.newEvents().clear())
          .isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Nested
  class Starting {

    @Test
    void theFirstStepStartedSetsStartTimeAndRecordsThreadStarted() {
      WorkflowThread thread = pendingThread();

      thread.start(at(1));

      assertThat(thread.status()).isEqualTo(RUNNING);
      assertThat(thread.startTime()).as("no step has started yet").isNull();
      assertThat(thread.lastUpdated()).isEqualTo(at(1));
      assertThat(eventsFrom(thread, 1)).isEmpty();

      thread.startStep("a", at(2));

      assertThat(thread.startTime()).isEqualTo(at(2));
      assertThat(eventsFrom(thread, 1))
          .extracting(ThreadEvent::type, ThreadEvent::at)
          .containsExactly(tuple(THREAD_STARTED, at(2)), tuple(STEP_STARTED, at(2)));
    }

    @Test
    void startingARunningThreadAgainChangesNothing() {
      WorkflowThread thread = threadIn(RUNNING);
      ThreadSnapshot before = thread.snapshot();
      int events = thread.newEvents().size();

      thread.start(at(30));

      assertThat(thread.snapshot()).isEqualTo(before);
      assertThat(thread.newEvents()).hasSize(events);
    }

    @Test
    void aResumedThreadStartsAgainWithoutASecondThreadStarted() {
      WorkflowThread thread = threadIn(RUNNING);
      thread.pause(at(2));
      thread.resume(at(3));
      int events = thread.newEvents().size();

      thread.start(at(4));
      thread.startStep("a", at(5));

      assertThat(thread.status()).isEqualTo(RUNNING);
      assertThat(thread.startTime()).isEqualTo(at(5));
      assertThat(thread.lastUpdated()).isEqualTo(at(5));
      assertThat(eventsFrom(thread, events))
          .extracting(ThreadEvent::type)
          .containsExactly(THREAD_STARTED, STEP_STARTED);
      thread.completeStep("a", Map.of(), at(6));
      thread.pause(at(7));
      thread.resume(at(8));
      int later = thread.newEvents().size();

      thread.start(at(9));
      thread.startStep("b", at(10));

      assertThat(thread.startTime()).as("start_time stays the first step's start").isEqualTo(at(5));
      assertThat(eventsFrom(thread, later))
          .extracting(ThreadEvent::type)
          .containsExactly(STEP_STARTED);
    }

    @Test
    void aThreadPausedBeforeItEverRanRecordsThreadStartedWhenItFirstRuns() {
      WorkflowThread thread = pendingThread();
      thread.pause(at(1));
      thread.resume(at(2));

      thread.start(at(3));
      thread.startStep("a", at(4));

      assertThat(thread.startTime()).isEqualTo(at(4));
      assertThat(thread.newEvents())
          .extracting(ThreadEvent::type)
          .containsExactly(
              THREAD_CREATED,
              ThreadEventType.THREAD_PAUSED,
              ThreadEventType.THREAD_RESUMED,
              THREAD_STARTED,
              STEP_STARTED);
    }

    @ParameterizedTest
    @EnumSource(
        value = ThreadStatus.class,
        names = {"PAUSED", "COMPLETED", "FAILED"})
    void onlyPendingOrRunningThreadsCanBeStarted(ThreadStatus status) {
      WorkflowThread thread = threadIn(status);

      assertThatThrownBy(() -> thread.start(at(30)))
          .isInstanceOf(IllegalTransitionException.class)
          .hasMessage("cannot start thread " + thread.id() + ": it is " + status.wireName());
      assertThat(thread.status()).isEqualTo(status);
    }
  }

  @Nested
  class RunningSteps {

    @Test
    void aCompleteRunRecordsAnEventForEveryChangeWithItsStatusAndProgress() {
      WorkflowThread thread = pendingThread();

      thread.start(at(1));
      thread.startStep("a", at(2));
      thread.completeStep("a", Map.of("out", "A"), at(3));
      thread.startStep("b", at(4));
      thread.completeStep("b", Map.of("out", "B"), at(5));
      thread.startStep("c", at(6));
      thread.completeStep("c", Map.of("out", "C"), at(7));

      assertThat(thread.newEvents())
          .extracting(
              ThreadEvent::type,
              ThreadEvent::status,
              ThreadEvent::step,
              ThreadEvent::progress,
              ThreadEvent::at)
          .containsExactly(
              tuple(THREAD_CREATED, PENDING, null, new Progress(0, 3, "a", 0), T0),
              tuple(THREAD_STARTED, RUNNING, null, new Progress(0, 3, "a", 0), at(2)),
              tuple(STEP_STARTED, RUNNING, "a", new Progress(0, 3, "a", 0), at(2)),
              tuple(STEP_COMPLETED, RUNNING, "a", new Progress(1, 3, "b", 33), at(3)),
              tuple(STEP_STARTED, RUNNING, "b", new Progress(1, 3, "b", 33), at(4)),
              tuple(STEP_COMPLETED, RUNNING, "b", new Progress(2, 3, "c", 66), at(5)),
              tuple(STEP_STARTED, RUNNING, "c", new Progress(2, 3, "c", 66), at(6)),
              tuple(STEP_COMPLETED, RUNNING, "c", new Progress(3, 3, null, 100), at(7)),
              tuple(THREAD_COMPLETED, COMPLETED, null, new Progress(3, 3, null, 100), at(7)));
      assertThat(thread.newEvents()).allMatch(event -> event.threadId().equals(thread.id()));
      assertThat(thread.status()).isEqualTo(COMPLETED);
      assertThat(thread.startTime()).isEqualTo(at(2));
      assertThat(thread.finishedAt()).isEqualTo(at(7));
      assertThat(thread.lastUpdated()).isEqualTo(at(7));
      assertThat(thread.errorMessage()).isNull();
      assertThat(thread.steps())
          .extracting(
              ThreadStep::status,
              ThreadStep::attempts,
              ThreadStep::startedAt,
              ThreadStep::finishedAt,
              ThreadStep::output)
          .containsExactly(
              tuple(StepStatus.COMPLETED, 1, at(2), at(3), Map.of("out", "A")),
              tuple(StepStatus.COMPLETED, 1, at(4), at(5), Map.of("out", "B")),
              tuple(StepStatus.COMPLETED, 1, at(6), at(7), Map.of("out", "C")));
    }

    @Test
    void theNextStepToRunIsTheFirstPendingStepOfARunningThreadWithNoStepInFlight() {
      WorkflowThread thread = pendingThread();
      assertThat(thread.nextStepToRun()).as("pending").isEmpty();

      thread.start(at(1));
      assertThat(thread.nextStepToRun()).map(ThreadStep::name).contains("a");

      thread.startStep("a", at(2));
      assertThat(thread.nextStepToRun()).as("a in flight").isEmpty();

      thread.completeStep("a", Map.of(), at(3));
      assertThat(thread.nextStepToRun()).map(ThreadStep::name).contains("b");

      thread.pause(at(4));
      assertThat(thread.nextStepToRun()).as("paused").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(
        value = ThreadStatus.class,
        names = {"PENDING", "PAUSED", "COMPLETED", "FAILED"})
    void threadsThatAreNotRunningHaveNoNextStep(ThreadStatus status) {
      assertThat(threadIn(status).nextStepToRun()).isEmpty();
    }

    @Test
    void startingAStepCountsAnAttempt() {
      WorkflowThread thread = threadIn(RUNNING);

      ThreadStep started = thread.startStep("a", at(2));

      assertThat(started.status()).isEqualTo(StepStatus.RUNNING);
      assertThat(started.attempts()).isEqualTo(1);
      assertThat(started.startedAt()).isEqualTo(at(2));
      assertThat(started.finishedAt()).isNull();
      assertThat(thread.step("a")).contains(started);
      assertThat(thread.runningStep()).contains(started);
      assertThat(thread.lastUpdated()).isEqualTo(at(2));
    }

    @ParameterizedTest
    @EnumSource(
        value = ThreadStatus.class,
        names = {"PENDING", "PAUSED", "COMPLETED", "FAILED"})
    void onlyARunningThreadStartsSteps(ThreadStatus status) {
      WorkflowThread thread = threadIn(status);
      int events = thread.newEvents().size();

      assertThatThrownBy(() -> thread.startStep("b", at(30)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("thread " + thread.id() + " cannot start step b: it is " + status.wireName());
      assertThat(thread.newEvents()).hasSize(events);
    }

    @Test
    void noSecondStepStartsWhileOneIsInFlight() {
      WorkflowThread thread = threadIn(RUNNING);
      thread.startStep("a", at(2));

      assertThatThrownBy(() -> thread.startStep("b", at(3)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cannot start step b");
      assertThat(thread.step("b").orElseThrow().status()).isEqualTo(StepStatus.PENDING);
    }

    @Test
    void aCompletedStepDoesNotStartAgain() {
      WorkflowThread thread = threadIn(RUNNING);
      thread.startStep("a", at(2));
      thread.completeStep("a", Map.of(), at(3));

      assertThatThrownBy(() -> thread.startStep("a", at(4)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("it is COMPLETED");
    }

    @Test
    void anUnknownStepIsRejected() {
      WorkflowThread thread = threadIn(RUNNING);

      assertThatThrownBy(() -> thread.startStep("zzz", at(2)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("thread " + thread.id() + " has no step zzz");
    }

    @Test
    void onlyTheStepInFlightCanCompleteOrFail() {
      WorkflowThread thread = threadIn(RUNNING);
      thread.startStep("a", at(2));

      assertThatThrownBy(() -> thread.completeStep("b", Map.of(), at(3)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("step b of thread " + thread.id() + " is not running");
      assertThatThrownBy(() -> thread.failStep("b", "boom", RetryPolicy.NONE, at(3)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("step b of thread " + thread.id() + " is not running");
    }

    @Test
    void noOutputIsRecordedAsAnEmptyOutput() {
      WorkflowThread thread = threadIn(RUNNING);
      thread.startStep("a", at(2));

      thread.completeStep("a", null, at(3));

      assertThat(thread.step("a").orElseThrow().output()).isEmpty();
    }

    @Test
    void theOutputIsCopiedSoTheAgentCannotChangeItLater() {
      WorkflowThread thread = threadIn(RUNNING);
      thread.startStep("a", at(2));
      Map<String, Object> output = new HashMap<>(Map.of("text", "draft"));

      thread.completeStep("a", output, at(3));
      output.put("text", "changed");

      assertThat(thread.step("a").orElseThrow().output()).isEqualTo(Map.of("text", "draft"));
    }
  }

  @Nested
  class FailingSteps {

    @Test
    void aFailedAttemptWithBudgetLeftPutsTheStepBackToWaitForItsNextAttempt() {
      WorkflowThread thread = threadIn(RUNNING, definitionWithRetry("test", 3, "a", "b"));
      thread.startStep("a", at(2));
      int events = thread.newEvents().size();

      boolean threadFailed = thread.failStep("a", "flaky", new RetryPolicy(3, 100), at(3));

      assertThat(threadFailed).isFalse();
      assertThat(thread.status()).isEqualTo(RUNNING);
      assertThat(thread.errorMessage()).isNull();
      assertThat(thread.step("a").orElseThrow())
          .extracting(
              ThreadStep::status, ThreadStep::attempts, ThreadStep::failures, ThreadStep::error)
          .containsExactly(StepStatus.PENDING, 1, 1, "flaky");
      assertThat(thread.nextStepToRun()).map(ThreadStep::name).contains("a");
      assertThat(eventsFrom(thread, events))
          .singleElement()
          .isEqualTo(
              new ThreadEvent(
                  STEP_FAILED, thread.id(), at(3), RUNNING, "a", Progress.of(0, 2, "a")));
    }

    @Test
    void theLastAllowedFailureFailsTheThreadWithTheStepsError() {
      WorkflowThread thread = threadIn(RUNNING);
      thread.startStep("a", at(2));
      thread.completeStep("a", Map.of(), at(3));
      thread.startStep("b", at(4));
      int events = thread.newEvents().size();

      boolean threadFailed = thread.failStep("b", "agent exploded", RetryPolicy.NONE, at(5));

      assertThat(threadFailed).isTrue();
      assertThat(thread.status()).isEqualTo(FAILED);
      assertThat(thread.errorMessage()).isEqualTo("agent exploded");
      assertThat(thread.finishedAt()).isEqualTo(at(5));
      assertThat(thread.lastUpdated()).isEqualTo(at(5));
      assertThat(thread.step("b").orElseThrow())
          .extracting(ThreadStep::status, ThreadStep::error, ThreadStep::finishedAt)
          .containsExactly(StepStatus.FAILED, "agent exploded", at(5));
      assertThat(thread.step("c").orElseThrow().status()).isEqualTo(StepStatus.PENDING);
      assertThat(eventsFrom(thread, events))
          .extracting(ThreadEvent::type, ThreadEvent::status, ThreadEvent::step)
          .containsExactly(tuple(STEP_FAILED, RUNNING, "b"), tuple(THREAD_FAILED, FAILED, null));
      assertThat(eventsFrom(thread, events))
          .extracting(ThreadEvent::progress)
          .containsOnly(Progress.of(1, 3, "b"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void aFailureWithoutAMessageGetsOne(String noMessage) {
      WorkflowThread thread = threadIn(RUNNING);
      thread.startStep("a", at(2));

      thread.failStep("a", noMessage, RetryPolicy.NONE, at(3));

      assertThat(thread.errorMessage()).isEqualTo("step a failed");
      assertThat(thread.step("a").orElseThrow().error()).isEqualTo("step a failed");
    }

    @Test
    void aStepMayFailMaxAttemptsTimesInOneRunAndEveryAttemptIsCounted() {
      RetryPolicy threeTimes = new RetryPolicy(3, 100);
      WorkflowThread thread = threadIn(RUNNING, definitionWithRetry("test", 3, "a", "b"));

      for (int attempt = 1; attempt <= 2; attempt++) {
        thread.startStep("a", at(10 * attempt));
        assertThat(thread.failStep("a", "flaky " + attempt, threeTimes, at(10 * attempt + 1)))
            .as("attempt %d fails the thread", attempt)
            .isFalse();
      }
      thread.startStep("a", at(30));
      boolean threadFailed = thread.failStep("a", "flaky 3", threeTimes, at(31));

      assertThat(threadFailed).isTrue();
      assertThat(thread.status()).isEqualTo(FAILED);
      assertThat(thread.errorMessage()).isEqualTo("flaky 3");
      assertThat(thread.step("a").orElseThrow())
          .extracting(ThreadStep::status, ThreadStep::attempts, ThreadStep::failures)
          .containsExactly(StepStatus.FAILED, 3, 3);
      assertThat(thread.newEvents())
          .extracting(ThreadEvent::type)
          .containsExactly(
              THREAD_CREATED,
              THREAD_STARTED,
              STEP_STARTED,
              STEP_FAILED,
              STEP_STARTED,
              STEP_FAILED,
              STEP_STARTED,
              STEP_FAILED,
              THREAD_FAILED);
    }

    @Test
    void aStepThatSucceedsAfterFailuresKeepsItsAttemptCount() {
      RetryPolicy twice = new RetryPolicy(2, 100);
      WorkflowThread thread = threadIn(RUNNING, definitionWithRetry("test", 2, "a"));
      thread.startStep("a", at(2));
      thread.failStep("a", "flaky", twice, at(3));
      thread.startStep("a", at(4));

      thread.completeStep("a", Map.of("ok", true), at(5));

      assertThat(thread.status()).isEqualTo(COMPLETED);
      assertThat(thread.step("a").orElseThrow())
          .extracting(
              ThreadStep::status, ThreadStep::attempts, ThreadStep::failures, ThreadStep::error)
          .containsExactly(StepStatus.COMPLETED, 2, 1, null);
    }
  }

  @Nested
  class Retrying {

    private WorkflowThread failedAtB() {
      WorkflowThread thread = threadIn(RUNNING);
      thread.startStep("a", at(2));
      thread.completeStep("a", Map.of("out", "A"), at(3));
      thread.startStep("b", at(4));
      thread.failStep("b", "boom", RetryPolicy.NONE, at(5));
      return thread;
    }

    @Test
    void retryRunsAgainFromTheFailedStepAndCompletedStepsStayCompleted() {
      WorkflowThread thread = failedAtB();
      int events = thread.newEvents().size();

      thread.retry(at(10));

      assertThat(thread.status()).isEqualTo(PENDING);
      assertThat(thread.errorMessage()).isNull();
      assertThat(thread.finishedAt()).isNull();
      assertThat(thread.lastUpdated()).isEqualTo(at(10));
      assertThat(thread.step("a").orElseThrow())
          .extracting(ThreadStep::status, ThreadStep::attempts, ThreadStep::output)
          .containsExactly(StepStatus.COMPLETED, 1, Map.of("out", "A"));
      assertThat(thread.step("b").orElseThrow())
          .extracting(ThreadStep::status, ThreadStep::attempts, ThreadStep::failures)
          .containsExactly(StepStatus.PENDING, 1, 0);
      assertThat(eventsFrom(thread, events))
          .singleElement()
          .isEqualTo(
              new ThreadEvent(
                  THREAD_RETRIED,
                  thread.id(),
                  at(10),
                  PENDING,
                  null,
                  Progress.of(1, 3, "b"),
                  Caller.LOCAL_OWNER,
                  Caller.LOCAL_OWNER));

      thread.start(at(11));

      assertThat(thread.nextStepToRun()).map(ThreadStep::name).contains("b");
      assertThat(thread.startStep("b", at(12)).attempts()).isEqualTo(2);
      assertThat(thread.startTime()).as("start_time stays the first step's start").isEqualTo(at(2));
      assertThat(eventsFrom(thread, events))
          .extracting(ThreadEvent::type)
          .containsExactly(THREAD_RETRIED, STEP_STARTED);
    }

    @Test
    void retryGrantsAFreshBudgetOfMaxAttemptsAndAttemptsKeepCounting() {
      RetryPolicy twice = new RetryPolicy(2, 100);
      WorkflowThread thread = threadIn(RUNNING, definitionWithRetry("test", 2, "a"));
      thread.startStep("a", at(2));
      thread.failStep("a", "first", twice, at(3));
      thread.startStep("a", at(4));
      assertThat(thread.failStep("a", "second", twice, at(5))).isTrue();

      thread.retry(at(10));
      thread.start(at(11));
      thread.startStep("a", at(12));
      boolean failedAfterThird = thread.failStep("a", "third", twice, at(13));
      thread.startStep("a", at(14));
      boolean failedAfterFourth = thread.failStep("a", "fourth", twice, at(15));

      assertThat(failedAfterThird).isFalse();
      assertThat(failedAfterFourth).isTrue();
      assertThat(thread.status()).isEqualTo(FAILED);
      assertThat(thread.errorMessage()).isEqualTo("fourth");
      assertThat(thread.step("a").orElseThrow())
          .extracting(ThreadStep::attempts, ThreadStep::failures)
          .containsExactly(4, 2);
    }

    @Test
    void aRetriedThreadCanCompleteAndThenNotBeRetriedAgain() {
      WorkflowThread thread = failedAtB();
      thread.retry(at(10));
      thread.start(at(11));
      thread.startStep("b", at(12));
      thread.completeStep("b", Map.of(), at(13));
      thread.startStep("c", at(14));
      thread.completeStep("c", Map.of(), at(15));

      assertThat(thread.status()).isEqualTo(COMPLETED);
      assertThat(thread.finishedAt()).isEqualTo(at(15));
      assertThatThrownBy(() -> thread.retry(at(16))).isInstanceOf(IllegalTransitionException.class);
    }
  }
}
