package io.orchestro.threads.application.engine;

import static io.orchestro.threads.application.engine.EngineTestBed.eventually;
import static io.orchestro.threads.application.testing.WorkflowCommands.step;
import static io.orchestro.threads.application.testing.WorkflowCommands.workflow;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestro.threads.application.port.in.CreateThreadCommand;
import io.orchestro.threads.application.testing.InMemoryThreadStore.ClaimCall;
import io.orchestro.threads.application.testing.SettableClock;
import io.orchestro.threads.domain.Caller;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadRequest;
import io.orchestro.threads.domain.ThreadStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Priority and delayed start as the engine honours them (docs/api.md "Scheduling, priority and
 * limits"): higher priority is claimed first, and a thread with a start time starts when that time
 * comes, with no poll to wait for (the engine polls once an hour here).
 */
@Timeout(60)
class ThreadEnginePriorityAndStartTest {

  private EngineTestBed bed;

  @AfterEach
  void stop() {
    bed.close();
  }

  @Test
  void threadsWaitingForAFreeSlotAreClaimedHighestPriorityFirst() {
    bed = new EngineTestBed();
    bed.workflows.put(workflow("quick", step("only", "echo", Map.of("template", "done"))));
    ThreadId low = create(-10, null);
    ThreadId middle = create(null, null);
    ThreadId high = create(100, null);

    // one thread at a time: each claim takes the best of those still waiting
    bed.startEngine(
        new EngineSettings("node-a", 1, EngineTestBed.LEASE, Duration.ofHours(1), 1, false));

    eventually()
        .until(
            () ->
                List.of(low, middle, high).stream()
                    .allMatch(id -> bed.thread(id).status() == ThreadStatus.COMPLETED));
    List<ThreadId> claimOrder =
        bed.store.claimCalls().stream().map(ClaimCall::claimed).flatMap(List::stream).toList();
    assertThat(claimOrder).containsExactly(high, middle, low);
  }

  @Test
  void aThreadStartsNoEarlierThanItsStartTimeAndWithoutWaitingForAPoll() {
    bed = new EngineTestBed(SettableClock.runningWithTheSystemClock());
    bed.workflows.put(workflow("quick", step("only", "echo", Map.of("template", "done"))));
    bed.startEngine();
    Instant startAt = bed.clock.instant().plusMillis(700);

    ThreadId id = create(null, startAt);

    eventually().until(() -> bed.thread(id).status() == ThreadStatus.COMPLETED);
    Instant started = bed.thread(id).startTime();
    // The bed polls once an hour: a start this close to its time can only come from the engine
    // sleeping until it. The bound is loose: the 100 ms one, with the claim ahead that production
    // settings have, is each store's (ThreadClaimsContractTest).
    assertThat(started).isAfterOrEqualTo(startAt).isBefore(startAt.plusSeconds(10));
  }

  @Test
  void aThreadWhoseStartTimeIsAheadStaysPendingUntilTheClockReachesIt() {
    bed = new EngineTestBed();
    bed.workflows.put(workflow("quick", step("only", "echo", Map.of("template", "done"))));
    ThreadEngine engine = bed.startEngine();
    Instant startAt = bed.clock.instant().plus(Duration.ofHours(2));
    ThreadId id = create(null, startAt);

    bed.assertLeftAlone(engine, id);
    bed.clock.advance(Duration.ofHours(2).minusMillis(1));
    bed.assertLeftAlone(engine, id);
    assertThat(bed.thread(id).status()).isEqualTo(ThreadStatus.PENDING);

    bed.clock.advance(Duration.ofMillis(1));
    engine.runnable(id);
    eventually().until(() -> bed.thread(id).status() == ThreadStatus.COMPLETED);
    assertThat(bed.thread(id).startTime()).isEqualTo(startAt);
  }

  private ThreadId create(Integer priority, Instant startAt) {
    return bed.threads
        .create(
            Caller.LOCAL_ADMIN,
            new CreateThreadCommand(
                null, new ThreadRequest("go", "quick", null, null, priority, startAt)))
        .thread()
        .id();
  }
}
