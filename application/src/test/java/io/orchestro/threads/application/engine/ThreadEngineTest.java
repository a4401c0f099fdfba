package io.orchestro.threads.application.engine;

import static io.orchestro.threads.application.engine.EngineTestBed.eventually;
import static io.orchestro.threads.application.testing.WorkflowCommands.step;
import static io.orchestro.threads.application.testing.WorkflowCommands.workflow;
import static io.orchestro.threads.domain.ThreadEventType.STEP_COMPLETED;
import static io.orchestro.threads.domain.ThreadEventType.STEP_STARTED;
import static io.orchestro.threads.domain.ThreadEventType.THREAD_COMPLETED;
import static io.orchestro.threads.domain.ThreadEventType.THREAD_CREATED;
import static io.orchestro.threads.domain.ThreadEventType.THREAD_DELETED;
import static io.orchestro.threads.domain.ThreadEventType.THREAD_FAILED;
import static io.orchestro.threads.domain.ThreadEventType.THREAD_PAUSED;
import static io.orchestro.threads.domain.ThreadEventType.THREAD_RESUMED;
import static io.orchestro.threads.domain.ThreadEventType.THREAD_RETRIED;
import static io.orchestro.threads.domain.ThreadEventType.THREAD_STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestro.threads.application.engine.RecordingObserver.Claimed;
import io.orchestro.threads.application.engine.RecordingObserver.Report;
import io.orchestro.threads.application.port.in.CreateThreadCommand;
import io.orchestro.threads.application.port.in.ThreadNotFoundException;
import io.orchestro.threads.application.testing.GateAgent;
import io.orchestro.threads.application.testing.StallingClaims;
import io.orchestro.threads.domain.Caller;
import io.orchestro.threads.domain.ListThreadsQuery;
import io.orchestro.threads.domain.RetryPolicy;
import io.orchestro.threads.domain.StepStatus;
import io.orchestro.threads.domain.ThreadEventType;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadRequest;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.ThreadStep;
import io.orchestro.threads.domain.WorkflowThread;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The engine of one node on a store in memory: threads run step by step, and what people do to them
 * while steps run, on a clock that moves only when the test moves it. Through the engine's public
 * face only (start, close, the signals) and what ends up in the store and its events.
 *
 * <p>Nothing here waits for the engine's timer: no lease passes, and the timer is kept from the
 * store.
 */
@Timeout(60)
class ThreadEngineTest {

  private final EngineTestBed bed = new EngineTestBed();

  /**
   * Its timer's calls to the store (renewals, claim checks) never get through: what happens here
   * happens through the engine's signals, and a delete has to cancel the agent by its signal alone.
   */
  private final StallingClaims timerStalled = new StallingClaims(bed.store);

  private final ThreadEngine engine;

  ThreadEngineTest() {
    timerStalled.stall();
    engine = bed.startEngine(timerStalled, EngineTestBed.settings(EngineTestBed.NODE));
  }

  @AfterEach
  void stopEngine() {
    timerStalled.resume();
    bed.close();
  }

  @Test
  void runsTwoHundredThreadsAtOnceWithProgressThatNeverGoesBack() {
    bed.workflows.put(
        workflow(
            "five-steps",
            step("s1", "gate", Map.of()),
            step("s2", "delay", Map.of("millis", 100)),
            step("s3", "delay", Map.of("millis", 100)),
            step("s4", "delay", Map.of("millis", 100)),
            step("s5", "delay", Map.of("millis", 100))));
    List<ThreadId> ids = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      ids.add(bed.create("five-steps", "thread " + i));
    }
    // every thread holds in its first step until all of them are in flight at once
    eventually().until(() -> ids.stream().allMatch(id -> bed.gate.hasStarted(id.toString(), "s1")));
    assertThat(engine.runningThreads()).as("threads running at once").isEqualTo(200);
    ids.forEach(id -> bed.gate.open(id.toString(), "s1"));

    Map<ThreadId, Integer> lastSeen = new HashMap<>();
    eventually()
        .until(
            () -> {
              boolean allDone = true;
              for (ThreadId id : ids) {
                WorkflowThread thread = bed.thread(id);
                int completed = thread.progress().completed();
                assertThat(completed)
                    .as("progress of %s never goes back", id)
                    .isGreaterThanOrEqualTo(lastSeen.getOrDefault(id, 0));
                lastSeen.put(id, completed);
                allDone &= thread.status() == ThreadStatus.COMPLETED;
              }
              return allDone;
            });

    for (ThreadId id : ids) {
      WorkflowThread thread = bed.thread(id);
      assertThat(thread.progress().percent()).isEqualTo(100);
      assertThat(thread.steps()).allSatisfy(step -> assertThat(step.attempts()).isEqualTo(1));
      assertThat(thread.finishedAt()).isNotNull();
    }
  }

  @Test
  void aStepsResultAndTheNextStepsStartAreOneStoreWrite() {
    bed.workflows.put(
        workflow(
            "three-no-ops",
            step("a", "delay", Map.of("millis", 0)),
            step("b", "delay", Map.of("millis", 0)),
            step("c", "delay", Map.of("millis", 0))));
    WorkflowThread created =
        bed.threads
            .create(
                Caller.LOCAL_ADMIN,
                new CreateThreadCommand(
                    null, new ThreadRequest("cheap", "three-no-ops", null, null)))
            .thread();
    ThreadId id = created.id();

    eventually().until(() -> bed.thread(id).status() == ThreadStatus.COMPLETED);

    // the thread's start with a's start, a's result with b's start, b's with c's, c's result
    assertThat(bed.thread(id).version() - created.version()).isEqualTo(4);
    assertThat(bed.events(id))
        .containsExactly(
            THREAD_CREATED,
            THREAD_STARTED,
            STEP_STARTED,
            STEP_COMPLETED,
            STEP_STARTED,
            STEP_COMPLETED,
            STEP_STARTED,
            STEP_COMPLETED,
            THREAD_COMPLETED);
    assertThat(bed.store.claimOf(id).owner()).as("a completed thread's claim is released").isNull();
    eventually().until(() -> engine.runningThreads() == 0);
  }

  @Test
  void eachStepGetsTheOutputsOfTheStepsBeforeItAndTheThreadsInput() {
    bed.workflows.put(
        workflow(
            "chain",
            step("first", "echo", Map.of("template", "{{prompt}} and {{input.extra}}")),
            step("second", "echo", Map.of("template", "[{{steps.first.output.text}}]"))));
    ThreadId id =
        bed.threads
            .create(
                Caller.LOCAL_ADMIN,
                new CreateThreadCommand(
                    null, new ThreadRequest("tea", "chain", null, Map.of("extra", "cake"))))
            .thread()
            .id();

    eventually().until(() -> bed.thread(id).status() == ThreadStatus.COMPLETED);

    assertThat(bed.step(id, "first").output()).containsEntry("text", "tea and cake");
    assertThat(bed.step(id, "second").output()).containsEntry("text", "[tea and cake]");
  }

  @Test
  void pauseLetsTheStepInFlightFinishAndStartsNoFurtherStepUntilResumed() {
    bed.workflows.put(
        workflow("two-gates", step("first", "gate", Map.of()), step("second", "gate", Map.of())));
    ThreadId id = bed.create("two-gates", "pause me");
    eventually().until(() -> bed.gate.hasStarted(id.toString(), "first"));

    WorkflowThread paused = bed.threads.pause(Caller.LOCAL_ADMIN, id);

    assertThat(paused.status()).isEqualTo(ThreadStatus.PAUSED);
    assertThat(paused.step("first").orElseThrow().status()).isEqualTo(StepStatus.RUNNING);
    assertThat(bed.events(id)).doesNotContain(THREAD_PAUSED);

    bed.gate.open(id.toString(), "first");
    eventually().until(() -> bed.events(id).contains(THREAD_PAUSED));
    WorkflowThread settled = bed.thread(id);
    assertThat(settled.status()).isEqualTo(ThreadStatus.PAUSED);
    assertThat(settled.step("first").orElseThrow().status()).isEqualTo(StepStatus.COMPLETED);
    // the step's result and the pause it settled are one write, after which nothing moves
    assertThat(bed.events(id)).endsWith(STEP_COMPLETED, THREAD_PAUSED);
    eventually().until(() -> engine.runningThreads() == 0);
    assertThat(bed.store.claimOf(id).owner()).isNull();
    bed.assertLeftAlone(engine, id);
    assertThat(bed.gate.hasStarted(id.toString(), "second")).isFalse();
    assertThat(bed.stepStatus(id, "second")).isEqualTo(StepStatus.PENDING);

    bed.threads.resume(Caller.LOCAL_ADMIN, id);
    eventually().until(() -> bed.gate.hasStarted(id.toString(), "second"));
    bed.gate.open(id.toString(), "second");
    eventually().until(() -> bed.thread(id).status() == ThreadStatus.COMPLETED);
    assertThat(bed.thread(id).steps()).extracting(ThreadStep::attempts).containsExactly(1, 1);
    assertThat(bed.events(id))
        .containsSubsequence(THREAD_PAUSED, THREAD_RESUMED, STEP_STARTED, STEP_COMPLETED);
  }

  @Test
  void pauseGivesUpTheAttemptOfAnAgentThatStopsOnPauseAndResumeRunsTheNextOne() {
    String agent = GateAgent.STOPPING_ON_PAUSE;
    bed.workflows.put(
        workflow("calls", step("call", agent, Map.of()), step("after", "echo", Map.of())));
    ThreadId id = bed.create("calls", "pause me");
    eventually().until(() -> bed.gateStoppingOnPause.hasStarted(id.toString(), "call"));

    bed.threads.pause(Caller.LOCAL_ADMIN, id);

    // the agent was told to stop, and the pause settled without waiting for an answer
    eventually().until(() -> bed.events(id).contains(THREAD_PAUSED));
    assertThat(bed.gateStoppingOnPause.wasCancelled(id.toString(), "call")).isTrue();
    WorkflowThread settled = bed.thread(id);
    assertThat(settled.status()).isEqualTo(ThreadStatus.PAUSED);
    ThreadStep cutShort = settled.step("call").orElseThrow();
    assertThat(cutShort.status()).isEqualTo(StepStatus.PENDING);
    assertThat(cutShort.attempts()).isEqualTo(1);
    assertThat(cutShort.failures()).isZero();
    assertThat(cutShort.error()).isNull();
    assertThat(bed.events(id)).endsWith(STEP_STARTED, THREAD_PAUSED);
    eventually().until(() -> engine.runningThreads() == 0);

    bed.threads.resume(Caller.LOCAL_ADMIN, id);
    eventually().until(() -> bed.step(id, "call").attempts() == 2);
    bed.gateStoppingOnPause.open(id.toString(), "call");
    eventually().until(() -> bed.thread(id).status() == ThreadStatus.COMPLETED);
    assertThat(bed.step(id, "call").output()).containsEntry("attempt", 2);
    assertThat(bed.events(id)).doesNotContain(ThreadEventType.STEP_FAILED);
  }

  @Test
  void deletingARunningThreadCancelsItsAgentAtOnceAndRecordsNothingMore() {
    // a minute: the worker ends long before the agent would, or the wait below gives up
    bed.workflows.put(workflow("one-minute", step("wait", "delay", Map.of("millis", 60_000))));
    ThreadId id = bed.create("one-minute", "delete me");
    eventually().until(() -> bed.store.eventTypesOf(id).contains(STEP_STARTED));
    eventually().until(() -> engine.runningThreads() == 1);

    bed.threads.delete(Caller.LOCAL_ADMIN, id);

    eventually().until(() -> engine.runningThreads() == 0);
    // the worker is gone: nothing is left that could record more
    List<ThreadEventType> events = bed.events(id);
    assertThat(events).last().isEqualTo(THREAD_DELETED);
    assertThat(events).doesNotContain(STEP_COMPLETED, ThreadEventType.STEP_FAILED);
    assertThat(bed.store.find(id)).isEmpty();
    assertThat(
            bed.threads
                .list(Caller.LOCAL_ADMIN, new ListThreadsQuery(null, "one-minute", 0, 10))
                .total())
        .isZero();
    assertThat(bed.observer.count(Report.COMPLETED) + bed.observer.count(Report.FAILED))
        .as("a cancelled attempt is neither a completion nor a failure")
        .isZero();
  }

  @Test
  void deleteCancelsAnAgentThatIsWaiting() {
    bed.workflows.put(workflow("one-gate", step("only", "gate", Map.of())));
    ThreadId id = bed.create("one-gate", "cancel me");
    eventually().until(() -> bed.gate.hasStarted(id.toString(), "only"));

    bed.threads.delete(Caller.LOCAL_ADMIN, id);

    eventually().until(() -> bed.gate.wasCancelled(id.toString(), "only"));
    eventually().until(() -> engine.runningThreads() == 0);
    assertThat(bed.events(id)).last().isEqualTo(THREAD_DELETED);
    assertThat(bed.store.claimOf(id)).isNull();
    assertThatThrownBy(() -> bed.thread(id)).isInstanceOf(ThreadNotFoundException.class);
  }

  @Test
  void cancelStopsTheAgentInFlightKeepsTheThreadAsFailedAndARetryRunsThatStepAgain() {
    bed.workflows.put(workflow("one-gate", step("first", "gate", Map.of())));
    ThreadId id = bed.create("one-gate", "cancel me");
    eventually().until(() -> bed.gate.hasStarted(id.toString(), "first"));

    bed.threads.cancel(Caller.LOCAL_ADMIN, id);

    eventually().until(() -> bed.gate.wasCancelled(id.toString(), "first"));
    eventually().until(() -> engine.runningThreads() == 0);
    WorkflowThread cancelled = bed.thread(id);
    assertThat(cancelled.status()).isEqualTo(ThreadStatus.FAILED);
    assertThat(cancelled.errorMessage()).isEqualTo("cancelled");
    assertThat(bed.step(id, "first").error()).isEqualTo("cancelled");
    assertThat(bed.events(id)).last().isEqualTo(THREAD_FAILED);
    assertThat(bed.store.claimOf(id).owner()).as("nobody holds a cancelled thread").isNull();

    bed.threads.retry(Caller.LOCAL_ADMIN, id);
    eventually()
        .until(() -> bed.gate.hasStarted(id.toString(), "first") && bed.attempts(id, "first") == 2);
    bed.gate.open(id.toString(), "first");
    eventually().until(() -> bed.thread(id).status() == ThreadStatus.COMPLETED);
  }

  @Test
  void retryRerunsAFailedThreadFromItsFailedStepOnly() {
    bed.workflows.put(
        workflow(
            "fails-once",
            step("before", "echo", Map.of("template", "hello {{prompt}}")),
            step("flaky", "fail", Map.of("times", 1, "message", "not today")),
            step("after", "echo", Map.of("template", "{{steps.before.output.text}}!"))));
    ThreadId id = bed.create("fails-once", "world");
    eventually().until(() -> bed.thread(id).status() == ThreadStatus.FAILED);
    WorkflowThread failed = bed.thread(id);
    assertThat(failed.errorMessage()).isEqualTo("not today");
    assertThat(failed.step("flaky").orElseThrow().status()).isEqualTo(StepStatus.FAILED);
    assertThat(failed.step("after").orElseThrow().status()).isEqualTo(StepStatus.PENDING);
    assertThat(bed.store.claimOf(id).owner()).as("a failed thread's claim is released").isNull();

    bed.threads.retry(Caller.LOCAL_ADMIN, id);

    eventually().until(() -> bed.thread(id).status() == ThreadStatus.COMPLETED);
    WorkflowThread done = bed.thread(id);
    assertThat(done.steps()).extracting(ThreadStep::attempts).containsExactly(1, 2, 1);
    assertThat(done.errorMessage()).isNull();
    assertThat(done.step("after").orElseThrow().output()).containsEntry("text", "hello world!");
    assertThat(bed.events(id)).containsSubsequence(THREAD_FAILED, THREAD_RETRIED, THREAD_COMPLETED);
  }

  @Test
  void aThreadRetriedWhileItsFailedWorkerIsStillEndingRunsAgainAtOnce() throws Exception {
    bed.workflows.put(
        workflow(
            "fails-once-then-ends-slowly",
            step("flaky", "fail", Map.of("times", 1, "message", "not today")),
            step("after", "echo", Map.of("template", "done"))));
    timerStalled.holdAfterWriting(ThreadStatus.FAILED);
    ThreadId id = bed.create("fails-once-then-ends-slowly", "slow to end");
    timerStalled.awaitHeldWrite();

    // the failed thread's worker has written its failure but not ended when the retry is claimed
    bed.threads.retry(Caller.LOCAL_ADMIN, id);
    eventually().until(() -> EngineTestBed.NODE.equals(bed.store.claimOf(id).owner()));
    timerStalled.letHeldWriteGo();

    // the lease never runs out on this clock: only a worker started for the new claim completes it
    eventually().until(() -> bed.thread(id).status() == ThreadStatus.COMPLETED);
    assertThat(bed.thread(id).steps()).extracting(ThreadStep::attempts).containsExactly(2, 1);
  }

  @Test
  void aRetriedThreadGetsAFreshBudgetOfAttempts() {
    // two failed attempts per run of the step; the agent fails the first three attempts ever
    bed.workflows.put(
        workflow(
            "stubborn",
            step("flaky", "fail", Map.of("times", 3), new RetryPolicy(2, 60_000), null)));
    ThreadId id = bed.create("stubborn", "keep trying");
    bed.awaitBackoff(engine, id, "flaky", 1);
    bed.clock.advance(Duration.ofMinutes(1));
    engine.runnable(id);
    eventually().until(() -> bed.thread(id).status() == ThreadStatus.FAILED);
    assertThat(bed.step(id, "flaky").failures()).isEqualTo(2);

    bed.threads.retry(Caller.LOCAL_ADMIN, id);

    // attempt 3 fails but the budget is new: it waits out the backoff and tries a fourth time
    bed.awaitBackoff(engine, id, "flaky", 3);
    assertThat(bed.thread(id).status()).isEqualTo(ThreadStatus.RUNNING);
    assertThat(bed.step(id, "flaky").failures()).isEqualTo(1);
    bed.clock.advance(Duration.ofMinutes(1));
    engine.runnable(id);
    eventually().until(() -> bed.thread(id).status() == ThreadStatus.COMPLETED);
    assertThat(bed.step(id, "flaky").attempts()).isEqualTo(4);
    assertThat(bed.step(id, "flaky").output()).containsEntry("succeeded_at_attempt", 4);
  }

  @Test
  void failedAttemptsAreRetriedAfterABackoffThatDoubles() {
    bed.workflows.put(
        workflow(
            "backoff",
            step(
                "flaky",
                "fail",
                Map.of("times", 2),
                new RetryPolicy(3, Duration.ofMinutes(1).toMillis()),
                null)));
    ThreadId id = bed.create("backoff", "retry me");
    bed.awaitBackoff(engine, id, "flaky", 1);
    assertThat(bed.step(id, "flaky").error()).isEqualTo("failed on purpose");
    eventually().until(() -> engine.runningThreads() == 0);

    bed.clock.advance(Duration.ofSeconds(59));
    bed.assertLeftAlone(engine, id);
    assertThat(bed.attempts(id, "flaky")).isEqualTo(1);
    bed.clock.advance(Duration.ofSeconds(1));
    engine.runnable(id);
    bed.awaitBackoff(engine, id, "flaky", 2);

    // the second wait is twice the first
    bed.clock.advance(Duration.ofSeconds(119));
    bed.assertLeftAlone(engine, id);
    assertThat(bed.attempts(id, "flaky")).isEqualTo(2);
    bed.clock.advance(Duration.ofSeconds(1));
    engine.runnable(id);
    eventually().until(() -> bed.thread(id).status() == ThreadStatus.COMPLETED);
    assertThat(bed.attempts(id, "flaky")).isEqualTo(3);
    assertThat(bed.step(id, "flaky").failures()).isEqualTo(2);
    assertThat(bed.observer.count(Report.FAILED)).isEqualTo(2);
    assertThat(bed.observer.count(Report.COMPLETED)).isEqualTo(1);
  }

  @Test
  void theClaimLagOfARetryIsTheWaitFromTheEndOfItsBackoffToItsClaim() {
    bed.workflows.put(
        workflow(
            "lagging",
            step("flaky", "fail", Map.of("times", 1), new RetryPolicy(2, 60_000), null)));
    ThreadId id = bed.create("lagging", "measure my wait");
    bed.awaitBackoff(engine, id, "flaky", 1);

    // runnable again a minute after the failure; claimed half a minute later than that
    bed.clock.advance(Duration.ofSeconds(90));
    engine.runnable(id);
    eventually().until(() -> bed.thread(id).status() == ThreadStatus.COMPLETED);

    // the first claim came at once after the creation: the clock had not moved
    assertThat(bed.observer.claimed())
        .containsExactly(
            new Claimed("lagging", Duration.ZERO), new Claimed("lagging", Duration.ofSeconds(30)));
  }

  @Test
  void aPauseDuringABackoffTakesEffectAtOnce() {
    bed.workflows.put(
        workflow(
            "long-backoff",
            step("flaky", "fail", Map.of("times", 1), new RetryPolicy(2, 600_000), null)));
    ThreadId id = bed.create("long-backoff", "pause in backoff");
    bed.awaitBackoff(engine, id, "flaky", 1);

    bed.threads.pause(Caller.LOCAL_ADMIN, id);

    assertThat(bed.events(id)).last().isEqualTo(THREAD_PAUSED);
    bed.clock.advance(Duration.ofMinutes(11));
    bed.assertLeftAlone(engine, id);
    assertThat(bed.attempts(id, "flaky")).isEqualTo(1);
    bed.threads.resume(Caller.LOCAL_ADMIN, id);
    eventually().until(() -> bed.thread(id).status() == ThreadStatus.COMPLETED);
    assertThat(bed.attempts(id, "flaky")).isEqualTo(2);
  }

  @Test
  void aStepRunningPastItsTimeoutIsCancelledAndCountsAsAFailedAttempt() {
    // a minute: the timeout of 200 ms ends it long before the agent would, or the wait gives up
    bed.workflows.put(
        workflow(
            "too-slow", step("slow", "delay", Map.of("millis", 60_000), RetryPolicy.NONE, 200L)));
    ThreadId id = bed.create("too-slow", "time me out");

    eventually().until(() -> bed.thread(id).status() == ThreadStatus.FAILED);
    WorkflowThread failed = bed.thread(id);
    assertThat(failed.errorMessage()).isEqualTo("timed out after 200 ms");
    assertThat(failed.step("slow").orElseThrow().attempts()).isEqualTo(1);
    assertThat(failed.step("slow").orElseThrow().failures()).isEqualTo(1);
    assertThat(bed.observer.count(Report.FAILED)).isEqualTo(1);
  }

  @Test
  void aTimedOutAttemptIsRetriedLikeAFailedOne() {
    bed.workflows.put(
        workflow(
            "always-slow",
            step("slow", "delay", Map.of("millis", 60_000), new RetryPolicy(2, 0), 200L)));
    ThreadId id = bed.create("always-slow", "time me out twice");

    eventually().until(() -> bed.thread(id).status() == ThreadStatus.FAILED);
    ThreadStep slow = bed.step(id, "slow");
    assertThat(slow.attempts()).isEqualTo(2);
    assertThat(slow.failures()).isEqualTo(2);
    assertThat(slow.error()).isEqualTo("timed out after 200 ms");
    assertThat(bed.observer.count(Report.FAILED)).isEqualTo(2);
  }

  @Test
  void aNewThreadStartsAtOnceBecauseTheEngineIsSignalledNotPolled() {
    bed.workflows.put(workflow("quick", step("only", "gate", Map.of())));

    // the engine polls once an hour: only the signal of the create can start the thread in time
    ThreadId id = bed.create("quick", "start at once");

    eventually().until(() -> bed.gate.hasStarted(id.toString(), "only"));
    bed.gate.open(id.toString(), "only");
    eventually().until(() -> bed.thread(id).status() == ThreadStatus.COMPLETED);
  }
}
