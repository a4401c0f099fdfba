package io.orchestro.threads.bootstrap;

import static io.orchestro.threads.bootstrap.EngineTestSupport.step;
import static io.orchestro.threads.bootstrap.EngineTestSupport.workflow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.orchestro.threads.application.engine.ThreadEngine;
import io.orchestro.threads.application.port.in.CreateThreadCommand;
import io.orchestro.threads.application.service.ThreadService;
import io.orchestro.threads.application.service.WorkflowService;
import io.orchestro.threads.domain.RetryPolicy;
import io.orchestro.threads.domain.StepStatus;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/** The engine on the real H2 store: concurrency, lifecycle calls while steps run, retries. */
@SpringBootTest(
    classes = OrchestroThreadsApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:engine-test;DB_CLOSE_DELAY=-1",
      // an hour: every test here relies on the engine being signalled, not on its safety-net poll
      "orchestro.engine.poll-interval=1h"
    })
@Import(EngineTestSupport.Beans.class)
class ThreadEngineTest {

  @Autowired ThreadService threads;
  @Autowired WorkflowService workflows;
  @Autowired ThreadEngine engine;
  @Autowired GateAgent gate;
  @Autowired TestClock clock;
  @Autowired JdbcTemplate jdbc;
  @Autowired MeterRegistry meters;

  @Test
  void runsTwoHundredThreadsAtOnceWithProgressThatNeverGoesBack() {
    workflows.put(
        workflow(
            "five-steps",
            step("s1", "gate", Map.of()),
            step("s2", "delay", Map.of("millis", 100)),
            step("s3", "delay", Map.of("millis", 100)),
            step("s4", "delay", Map.of("millis", 100)),
            step("s5", "delay", Map.of("millis", 100))));
    List<ThreadId> ids = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      ids.add(create("five-steps", "thread " + i));
    }
    // every thread holds in its first step until all of them are in flight at once
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> ids.stream().allMatch(id -> gate.hasStarted(id.toString(), "s1")));
    assertThat(engine.runningThreads()).as("threads running at once").isEqualTo(200);
    ids.forEach(id -> gate.open(id.toString(), "s1"));

    Map<ThreadId, Integer> lastSeen = new HashMap<>();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              boolean allDone = true;
              for (ThreadId id : ids) {
                WorkflowThread thread = threads.get(id);
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
      WorkflowThread thread = threads.get(id);
      assertThat(thread.progress().percent()).isEqualTo(100);
      assertThat(thread.steps()).allSatisfy(step -> assertThat(step.attempts()).isEqualTo(1));
      assertThat(thread.finishedAt()).isNotNull();
    }
  }

  @Test
  void aStepsResultAndTheNextStepsStartAreOneStoreWrite() {
    workflows.put(
        workflow(
            "three-no-ops",
            step("a", "delay", Map.of("millis", 0)),
            step("b", "delay", Map.of("millis", 0)),
            step("c", "delay", Map.of("millis", 0))));
    WorkflowThread created =
        threads
            .create(
                new CreateThreadCommand(
                    null, new ThreadRequest("cheap", "three-no-ops", null, null)))
            .thread();
    ThreadId id = created.id();

    await().until(() -> threads.get(id).status() == ThreadStatus.COMPLETED);

    // the thread's start with a's start, a's result with b's start, b's with c's, c's result
    assertThat(threads.get(id).version() - created.version()).isEqualTo(4);
    assertThat(eventTypes(id))
        .containsExactly(
            "thread_created",
            "thread_started",
            "step_started",
            "step_completed",
            "step_started",
            "step_completed",
            "step_started",
            "step_completed",
            "thread_completed");
  }

  @Test
  void pauseLetsTheStepInFlightFinishAndStartsNoFurtherStepUntilResumed() {
    workflows.put(
        workflow("two-gates", step("first", "gate", Map.of()), step("second", "gate", Map.of())));
    ThreadId id = create("two-gates", "pause me");
    await().until(() -> gate.hasStarted(id.toString(), "first"));

    WorkflowThread paused = threads.pause(id);

    assertThat(paused.status()).isEqualTo(ThreadStatus.PAUSED);
    assertThat(paused.step("first").orElseThrow().status()).isEqualTo(StepStatus.RUNNING);
    assertThat(eventTypes(id)).doesNotContain("thread_paused");

    gate.open(id.toString(), "first");
    await().until(() -> eventTypes(id).contains("thread_paused"));
    WorkflowThread settled = threads.get(id);
    assertThat(settled.status()).isEqualTo(ThreadStatus.PAUSED);
    assertThat(settled.step("first").orElseThrow().status()).isEqualTo(StepStatus.COMPLETED);
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .until(() -> !gate.hasStarted(id.toString(), "second"));
    assertThat(threads.get(id).step("second").orElseThrow().status()).isEqualTo(StepStatus.PENDING);

    threads.resume(id);
    await().until(() -> gate.hasStarted(id.toString(), "second"));
    gate.open(id.toString(), "second");
    await().until(() -> threads.get(id).status() == ThreadStatus.COMPLETED);
    assertThat(threads.get(id).steps()).extracting(ThreadStep::attempts).containsExactly(1, 1);
  }

  @Test
  void deletingARunningThreadCancelsItsAgentAtOnceAndRecordsNothingMore() {
    workflows.put(workflow("one-minute", step("wait", "delay", Map.of("millis", 60_000))));
    ThreadId id = create("one-minute", "delete me");
    await().until(() -> stepStatus(id, "wait") == StepStatus.RUNNING);

    threads.delete(id);

    await().atMost(Duration.ofSeconds(1)).until(() -> engine.runningThreads() == 0);
    List<String> events = eventTypes(id);
    assertThat(events).last().isEqualTo("thread_deleted");
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> eventTypes(id).equals(events));
    assertThat(
            threads
                .list(new io.orchestro.threads.domain.ListThreadsQuery(null, "one-minute", 0, 10))
                .total())
        .isZero();
  }

  @Test
  void deleteCancelsAnAgentThatIsWaiting() {
    workflows.put(workflow("one-gate", step("only", "gate", Map.of())));
    ThreadId id = create("one-gate", "cancel me");
    await().until(() -> gate.hasStarted(id.toString(), "only"));

    threads.delete(id);

    await().atMost(Duration.ofSeconds(1)).until(() -> gate.wasCancelled(id.toString(), "only"));
  }

  @Test
  void retryRerunsAFailedThreadFromItsFailedStepOnly() {
    workflows.put(
        workflow(
            "fails-once",
            step("before", "echo", Map.of("template", "hello {{prompt}}")),
            step("flaky", "fail", Map.of("times", 1, "message", "not today")),
            step("after", "echo", Map.of("template", "{{steps.before.output.text}}!"))));
    ThreadId id = create("fails-once", "world");
    await().until(() -> threads.get(id).status() == ThreadStatus.FAILED);
    WorkflowThread failed = threads.get(id);
    assertThat(failed.errorMessage()).isEqualTo("not today");
    assertThat(failed.step("flaky").orElseThrow().status()).isEqualTo(StepStatus.FAILED);
    assertThat(failed.step("after").orElseThrow().status()).isEqualTo(StepStatus.PENDING);

    threads.retry(id);

    await().until(() -> threads.get(id).status() == ThreadStatus.COMPLETED);
    WorkflowThread done = threads.get(id);
    assertThat(done.steps()).extracting(ThreadStep::attempts).containsExactly(1, 2, 1);
    assertThat(done.errorMessage()).isNull();
    assertThat(done.step("after").orElseThrow().output()).containsEntry("text", "hello world!");
    assertThat(eventTypes(id))
        .containsSubsequence("thread_failed", "thread_retried", "thread_completed");
  }

  @Test
  void failedAttemptsAreRetriedAfterABackoffThatDoubles() {
    workflows.put(
        workflow(
            "backoff",
            step(
                "flaky",
                "fail",
                Map.of("times", 2),
                new RetryPolicy(3, Duration.ofMinutes(1).toMillis()),
                null)));
    ThreadId id = create("backoff", "retry me");
    await()
        .until(() -> attempts(id, "flaky") == 1 && stepStatus(id, "flaky") == StepStatus.PENDING);
    assertThat(threads.get(id).step("flaky").orElseThrow().error()).isEqualTo("failed on purpose");

    clock.advance(Duration.ofSeconds(59));
    engine.runnable(id);
    stillAfterAWhile(() -> attempts(id, "flaky") == 1);
    clock.advance(Duration.ofSeconds(1));
    engine.runnable(id);
    await()
        .until(() -> attempts(id, "flaky") == 2 && stepStatus(id, "flaky") == StepStatus.PENDING);

    // the second wait is twice the first
    clock.advance(Duration.ofSeconds(119));
    engine.runnable(id);
    stillAfterAWhile(() -> attempts(id, "flaky") == 2);
    clock.advance(Duration.ofSeconds(1));
    engine.runnable(id);
    await().until(() -> threads.get(id).status() == ThreadStatus.COMPLETED);
    assertThat(attempts(id, "flaky")).isEqualTo(3);
  }

  @Test
  void theClaimLagOfARetryIsTheWaitFromTheEndOfItsBackoffToItsClaim() {
    workflows.put(
        workflow(
            "lagging",
            step("flaky", "fail", Map.of("times", 1), new RetryPolicy(2, 60_000), null)));
    ThreadId id = create("lagging", "measure my wait");
    await()
        .until(() -> attempts(id, "flaky") == 1 && stepStatus(id, "flaky") == StepStatus.PENDING);

    // runnable again a minute after the failure; claimed half a minute later than that
    clock.advance(Duration.ofSeconds(90));
    engine.runnable(id);
    await().until(() -> threads.get(id).status() == ThreadStatus.COMPLETED);

    Timer lag = meters.get("orchestro.claim.lag").tag("workflow_type", "lagging").timer();
    assertThat(lag.count()).isEqualTo(2);
    assertThat(lag.max(TimeUnit.SECONDS)).isBetween(30.0, 40.0);
  }

  @Test
  void aPauseDuringABackoffTakesEffectAtOnce() {
    workflows.put(
        workflow(
            "long-backoff",
            step("flaky", "fail", Map.of("times", 1), new RetryPolicy(2, 600_000), null)));
    ThreadId id = create("long-backoff", "pause in backoff");
    await()
        .until(() -> attempts(id, "flaky") == 1 && stepStatus(id, "flaky") == StepStatus.PENDING);

    threads.pause(id);

    assertThat(eventTypes(id)).last().isEqualTo("thread_paused");
    clock.advance(Duration.ofMinutes(11));
    engine.runnable(id);
    stillAfterAWhile(() -> attempts(id, "flaky") == 1);
    threads.resume(id);
    await().until(() -> threads.get(id).status() == ThreadStatus.COMPLETED);
    assertThat(attempts(id, "flaky")).isEqualTo(2);
  }

  @Test
  void aStepRunningPastItsTimeoutIsCancelledAndCountsAsAFailedAttempt() {
    workflows.put(
        workflow(
            "too-slow", step("slow", "delay", Map.of("millis", 60_000), RetryPolicy.NONE, 200L)));
    ThreadId id = create("too-slow", "time me out");

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> threads.get(id).status() == ThreadStatus.FAILED);
    WorkflowThread failed = threads.get(id);
    assertThat(failed.errorMessage()).isEqualTo("timed out after 200 ms");
    assertThat(failed.step("slow").orElseThrow().attempts()).isEqualTo(1);
  }

  @Test
  void aNewThreadStartsAtOnceBecauseTheEngineIsSignalledNotPolled() {
    workflows.put(workflow("quick", step("only", "gate", Map.of())));
    ThreadId id = create("quick", "start at once");
    await().atMost(Duration.ofSeconds(1)).until(() -> gate.hasStarted(id.toString(), "only"));
    gate.open(id.toString(), "only");
    await().until(() -> threads.get(id).status() == ThreadStatus.COMPLETED);
  }

  private ThreadId create(String type, String prompt) {
    return threads
        .create(new CreateThreadCommand(null, new ThreadRequest(prompt, type, null, null)))
        .thread()
        .id();
  }

  private int attempts(ThreadId id, String step) {
    return threads.get(id).step(step).orElseThrow().attempts();
  }

  private StepStatus stepStatus(ThreadId id, String step) {
    return threads.get(id).step(step).orElseThrow().status();
  }

  /** In the order the store recorded them ({@code seq} is given a moment after each commit). */
  private List<String> eventTypes(ThreadId id) {
    return jdbc.queryForList(
        "select type from thread_event where thread_id = ? order by id", String.class, id.value());
  }

  private static void stillAfterAWhile(java.util.concurrent.Callable<Boolean> condition) {
    await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(3)).until(condition);
  }
}
