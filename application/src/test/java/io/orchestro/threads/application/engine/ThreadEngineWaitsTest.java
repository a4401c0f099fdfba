package io.orchestro.threads.application.engine;

import static io.orchestro.threads.application.engine.EngineTestBed.eventually;
import static io.orchestro.threads.application.testing.WorkflowCommands.step;
import static io.orchestro.threads.application.testing.WorkflowCommands.workflow;
import static io.orchestro.threads.domain.ThreadEventType.THREAD_PAUSED;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestro.threads.domain.Caller;
import io.orchestro.threads.domain.RetryPolicy;
import io.orchestro.threads.domain.StepStatus;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.ThreadStep;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Steps that wait hold no running slot: a parked attempt (a long wait) and a callee's Retry-After
 * leave the node free for ready work, and the same attempt goes on when its time comes.
 */
@Timeout(60)
class ThreadEngineWaitsTest {

  private static final int SLOTS = 2;

  private final EngineTestBed bed = new EngineTestBed();
  private final ThreadEngine engine =
      bed.startEngine(
          new EngineSettings(
              EngineTestBed.NODE,
              SLOTS,
              EngineTestBed.LEASE,
              EngineTestBed.POLL_INTERVAL,
              64,
              false));

  @AfterEach
  void stopEngine() {
    bed.close();
  }

  @Test
  void parkedWaitsLeaveTheSlotsToReadyWorkAndGoOnWithTheSameAttemptWhenDue() {
    bed.workflows.put(workflow("a-day", step("wait", "park", Map.of("millis", 86_400_000))));
    bed.workflows.put(workflow("quick", step("say", "echo", Map.of("template", "hi"))));
    List<ThreadId> waiting =
        IntStream.range(0, SLOTS * 5).mapToObj(i -> bed.create("a-day", "wait " + i)).toList();
    eventually().until(() -> waiting.stream().allMatch(id -> bed.step(id, "wait").isParked()));

    ThreadId quick = bed.create("quick", "not starved");
    eventually().until(() -> bed.thread(quick).status() == ThreadStatus.COMPLETED);
    eventually().until(() -> engine.runningThreads() == 0);
    assertThat(waiting).allSatisfy(id -> bed.assertLeftAlone(engine, id));

    bed.clock.advance(Duration.ofDays(1));
    waiting.forEach(engine::runnable);
    eventually()
        .until(
            () ->
                waiting.stream().allMatch(id -> bed.thread(id).status() == ThreadStatus.COMPLETED));
    assertThat(waiting)
        .allSatisfy(
            id -> {
              ThreadStep step = bed.step(id, "wait");
              assertThat(step.attempts()).isEqualTo(1);
              assertThat(step.failures()).isZero();
              assertThat(step.output()).containsEntry("waited_millis", 86_400_000L);
            });
  }

  @Test
  void aPauseOfAParkedWaitTakesEffectAtOnceAndTheResumeWaitsAnew() {
    bed.workflows.put(workflow("an-hour", step("wait", "park", Map.of("millis", 3_600_000))));
    ThreadId id = bed.create("an-hour", "pause me");
    eventually().until(() -> bed.step(id, "wait").isParked());

    bed.threads.pause(Caller.LOCAL_ADMIN, id);

    assertThat(bed.events(id)).last().isEqualTo(THREAD_PAUSED);
    ThreadStep cutShort = bed.step(id, "wait");
    assertThat(cutShort.status()).isEqualTo(StepStatus.PENDING);
    assertThat(cutShort.failures()).isZero();
    bed.clock.advance(Duration.ofHours(2));
    bed.assertLeftAlone(engine, id);

    bed.threads.resume(Caller.LOCAL_ADMIN, id);
    eventually().until(() -> bed.step(id, "wait").isParked());
    assertThat(bed.attempts(id, "wait")).isEqualTo(2);
    assertThat(bed.step(id, "wait").dueAt())
        .isEqualTo(bed.clock.instant().plus(Duration.ofHours(1)));
  }

  @Test
  void aCalleesRetryAfterIsTheWaitBeforeTheNextAttemptWhenLongerThanTheBackoff() {
    bed.workflows.put(
        workflow(
            "busy",
            step("call", "park", Map.of("busy_seconds", 30), new RetryPolicy(2, 10), null)));
    ThreadId id = bed.create("busy", "come back later");
    bed.awaitBackoff(engine, id, "call", 1);
    assertThat(bed.step(id, "call").dueAt())
        .isEqualTo(bed.clock.instant().plus(Duration.ofSeconds(30)));

    bed.clock.advance(Duration.ofSeconds(29));
    bed.assertLeftAlone(engine, id);
    bed.clock.advance(Duration.ofSeconds(1));
    engine.runnable(id);
    eventually().until(() -> bed.thread(id).status() == ThreadStatus.COMPLETED);
    assertThat(bed.step(id, "call").output()).containsEntry("attempt", 2);
  }

  @Test
  void aStepsTimeoutCountsTheTimeItWaitedParked() {
    bed.workflows.put(
        workflow(
            "bounded",
            step("wait", "park", Map.of("millis", 86_400_000), RetryPolicy.NONE, 1_000L)));
    ThreadId id = bed.create("bounded", "too long a wait");
    eventually().until(() -> bed.step(id, "wait").isParked());
    // parked until the timeout ends, not for the day asked
    assertThat(bed.step(id, "wait").dueAt())
        .isEqualTo(bed.step(id, "wait").startedAt().plusSeconds(1));

    bed.clock.advance(Duration.ofSeconds(1));
    engine.runnable(id);
    eventually().until(() -> bed.thread(id).status() == ThreadStatus.FAILED);
    assertThat(bed.thread(id).errorMessage()).isEqualTo("timed out after 1000 ms");
  }
}
