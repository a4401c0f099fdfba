package io.orchestro.threads.application.engine;

import static io.orchestro.threads.application.engine.EngineTestBed.eventually;
import static io.orchestro.threads.application.testing.WorkflowCommands.step;
import static io.orchestro.threads.application.testing.WorkflowCommands.workflow;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestro.threads.application.port.out.Agent;
import io.orchestro.threads.application.port.out.AttemptFailedException;
import io.orchestro.threads.application.port.out.Limit;
import io.orchestro.threads.application.port.out.StepContext;
import io.orchestro.threads.application.testing.InFlightAgent;
import io.orchestro.threads.application.testing.SettableClock;
import io.orchestro.threads.domain.RetryPolicy;
import io.orchestro.threads.domain.ThreadEventType;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Limits per agent and per workflow type, kept by two nodes on one store: a thread held back waits
 * (pending, or running between steps) without a worker, and runs once a place is free.
 */
@Timeout(60)
class ThreadEngineAgentAndWorkflowLimitsTest {

  /** Answers its first call with a 429 and a {@code Retry-After}, later ones normally. */
  private static final class ThrottledAgent implements Agent {
    final List<Instant> calls = new CopyOnWriteArrayList<>();
    private final SettableClock clock;

    /** How many calls, from the first, it answers with a 429. */
    volatile int refusals = 1;

    ThrottledAgent(SettableClock clock) {
      this.clock = clock;
    }

    @Override
    public String name() {
      return "throttled";
    }

    @Override
    public Map<String, Object> run(StepContext context) {
      calls.add(clock.instant());
      if (calls.size() <= refusals) {
        throw AttemptFailedException.rateLimited(
            "provider answered HTTP 429", Duration.ofSeconds(30));
      }
      return Map.of();
    }
  }

  private final SettableClock clock = SettableClock.standingStill();
  private final ThrottledAgent throttled = new ThrottledAgent(clock);
  private final EngineTestBed bed = new EngineTestBed(clock, List.of(throttled));
  private final InProcessLimitLeases sharedLeases = new InProcessLimitLeases();

  @AfterEach
  void stop() {
    bed.close();
  }

  private ThreadLimits limits(Map<String, Limit> agents, Map<String, Limit> workflows) {
    return new ThreadLimits(agents, workflows, sharedLeases);
  }

  @Test
  void twoNodesNeverRunMoreAttemptsOfAnAgentThanItsMaximumAndEveryHeldBackThreadCompletes() {
    // a clock that runs: a place freed on one node reaches a thread waiting on the other when it
    // looks again, a recheck later
    EngineTestBed running = new EngineTestBed(SettableClock.runningWithTheSystemClock());
    try {
      running.workflows.put(workflow("probe", step("only", InFlightAgent.NAME, Map.of())));
      ThreadLimits limits =
          limits(Map.of(InFlightAgent.NAME, Limit.of("agent:in-flight", 2, null)), Map.of());
      ThreadEngine nodeA = running.startEngine(EngineTestBed.settings("node-a"), limits);
      ThreadEngine nodeB = running.startEngine(EngineTestBed.settings("node-b"), limits);
      List<ThreadId> ids =
          IntStream.range(0, 8).mapToObj(i -> running.create("probe", "p" + i)).toList();

      eventually().until(() -> running.inFlight.inFlight() == 2);
      // the others are held back: pending, and no worker of either node waits with them
      eventually().until(() -> nodeA.runningThreads() + nodeB.runningThreads() == 2);
      assertThat(ids.stream().filter(id -> running.thread(id).status() == ThreadStatus.PENDING))
          .hasSize(6);

      for (int finished = 1; finished <= ids.size(); finished++) {
        running.inFlight.release(1);
        int stillToRun = ids.size() - finished;
        eventually().until(() -> running.inFlight.inFlight() == Math.min(2, stillToRun));
      }

      eventually()
          .until(
              () ->
                  ids.stream()
                      .allMatch(id -> running.thread(id).status() == ThreadStatus.COMPLETED));
      assertThat(running.inFlight.most()).isEqualTo(2);
      assertThat(running.inFlight.entered()).isEqualTo(ids.size());
      // every held-back thread records its wait, measured from its first refusal on either node,
      // by whichever node ran it; a thread refused again between steps may record more than one
      assertThat(running.observer.limitWaits()).hasSizeGreaterThanOrEqualTo(6);
      assertThat(running.observer.limitWaits())
          .allMatch(wait -> wait.limit().equals("agent:in-flight"));
    } finally {
      running.close();
    }
  }

  @Test
  void aRateLetsNoMoreAttemptsStartWithinItsPeriodAndTheRestRunInLaterPeriods() {
    bed.workflows.put(
        workflow("rated", step("first", "echo", Map.of()), step("second", "echo", Map.of())));
    ThreadLimits limits =
        limits(Map.of(), Map.of("rated", Limit.of("workflow:rated", null, "3/1m")));
    ThreadEngine engine = bed.startEngine(EngineTestBed.settings("node-a"), limits);
    List<ThreadId> ids = IntStream.range(0, 4).mapToObj(i -> bed.create("rated", "r" + i)).toList();

    // 8 attempts at 3 a minute: 3 in the first minute, 3 more in the second, the last 2 in the
    // third; between, every thread not done waits with no worker until the next minute
    for (int startedByNow : List.of(3, 6, 8)) {
      eventually().until(() -> startedAttempts() == startedByNow);
      eventually().until(() -> engine.runningThreads() == 0);
      for (ThreadId id : ids) {
        if (bed.thread(id).status() != ThreadStatus.COMPLETED) {
          bed.assertLeftAlone(engine, id);
        }
      }
      assertThat(startedAttempts()).isEqualTo(startedByNow);
      clock.advance(Duration.ofMinutes(1));
      ids.forEach(engine::runnable);
    }

    eventually()
        .until(
            () -> ids.stream().allMatch(id -> bed.thread(id).status() == ThreadStatus.COMPLETED));
    assertThat(bed.observer.count(RecordingObserver.Report.FAILED)).isZero();
  }

  @Test
  void threadsHeldBackHoldNoRunningSlotSoThatOtherWorkRunsMeanwhile() {
    bed.workflows.put(workflow("limited", step("only", InFlightAgent.NAME, Map.of())));
    bed.workflows.put(workflow("free", step("only", "echo", Map.of())));
    ThreadLimits limits =
        limits(Map.of(), Map.of("limited", Limit.of("workflow:limited", 1, null)));
    // two running slots: one for the limited thread in flight, one left for everything else
    EngineSettings usual = EngineTestBed.settings("node-a");
    ThreadEngine engine =
        bed.startEngine(
            new EngineSettings(usual.nodeId(), 2, usual.lease(), usual.pollInterval(), 64, false),
            limits);
    List<ThreadId> limited =
        IntStream.range(0, 5).mapToObj(i -> bed.create("limited", "l" + i)).toList();
    eventually().until(() -> bed.inFlight.inFlight() == 1);

    List<ThreadId> free = IntStream.range(0, 5).mapToObj(i -> bed.create("free", "f" + i)).toList();

    eventually()
        .until(
            () -> free.stream().allMatch(id -> bed.thread(id).status() == ThreadStatus.COMPLETED));
    assertThat(limited.stream().filter(id -> bed.thread(id).status() == ThreadStatus.PENDING))
        .hasSize(4);
    bed.inFlight.release(5);
    eventually()
        .until(
            () ->
                limited.stream().allMatch(id -> bed.thread(id).status() == ThreadStatus.COMPLETED));
    assertThat(bed.inFlight.most()).isEqualTo(1);
    assertThat(engine.runningThreads()).isZero();
  }

  @Test
  void aServiceSaying429WithRetryAfterHoldsEveryAttemptOfTheAgentBackUntilThen() {
    // one attempt only: the 429 holds it back, it does not use it up
    bed.workflows.put(
        workflow("throttled", step("call", "throttled", Map.of(), new RetryPolicy(1, 0), null)));
    ThreadLimits limits =
        limits(Map.of("throttled", Limit.of("agent:throttled", 10, null)), Map.of());
    ThreadEngine engine = bed.startEngine(EngineTestBed.settings("node-a"), limits);
    ThreadId first = bed.create("throttled", "first");
    eventually().until(() -> throttled.calls.size() == 1);
    eventually().until(() -> engine.runningThreads() == 0);

    // a thread created after the 429 waits, as the first one's retry does: nobody calls the agent
    ThreadId second = bed.create("throttled", "second");
    eventually()
        .until(
            () ->
                bed.store.claimCalls().stream().anyMatch(call -> call.claimed().contains(second)));
    eventually().until(() -> engine.runningThreads() == 0);
    bed.assertLeftAlone(engine, second);
    clock.advance(Duration.ofSeconds(29));
    bed.assertLeftAlone(engine, second);
    assertThat(throttled.calls).hasSize(1);
    assertThat(bed.thread(second).status()).isEqualTo(ThreadStatus.PENDING);

    clock.advance(Duration.ofSeconds(1));
    engine.runnable(second);
    eventually().until(() -> bed.thread(second).status() == ThreadStatus.COMPLETED);
    eventually().until(() -> bed.thread(first).status() == ThreadStatus.COMPLETED);
    assertThat(throttled.calls).hasSize(3);
    assertThat(throttled.calls.subList(1, 3))
        .allMatch(at -> !at.isBefore(SettableClock.START.plusSeconds(30)));
    assertThat(bed.step(first, "call").attempts()).isEqualTo(1);
    assertThat(bed.events(first)).doesNotContain(ThreadEventType.STEP_FAILED);
  }

  @Test
  void aServiceThatKeepsSaying429FailsTheAttemptOnceItHasHeldItBackForTheEnginesPatience() {
    throttled.refusals = Integer.MAX_VALUE;
    bed.workflows.put(
        workflow("throttled", step("call", "throttled", Map.of(), new RetryPolicy(1, 0), null)));
    ThreadEngine engine = bed.startEngine();
    ThreadId id = bed.create("throttled", "never let in");

    // each 429 asks for 30 s: the attempt waits, parked, and is called again then
    Duration patience = ThreadEngine.RATE_LIMITED_PATIENCE;
    long heldBackCalls = patience.dividedBy(Duration.ofSeconds(30));
    for (int call = 1; call <= heldBackCalls; call++) {
      int callsSoFar = call;
      eventually().until(() -> throttled.calls.size() == callsSoFar);
      eventually().until(() -> engine.runningThreads() == 0);
      assertThat(bed.thread(id).status()).isEqualTo(ThreadStatus.RUNNING);
      clock.advance(Duration.ofSeconds(30));
      engine.runnable(id);
    }

    // refused again after waiting that long: a failed attempt, the only one the step has
    eventually().until(() -> bed.thread(id).status() == ThreadStatus.FAILED);
    assertThat(throttled.calls).hasSize((int) heldBackCalls + 1);
    assertThat(bed.step(id, "call").attempts()).isEqualTo(1);
    assertThat(bed.thread(id).errorMessage()).contains("HTTP 429");
  }

  private long startedAttempts() {
    return bed.observer.count(RecordingObserver.Report.STARTED);
  }
}
