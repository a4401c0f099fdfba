package io.orchestro.threads.application.engine;

import static io.orchestro.threads.application.engine.EngineTestBed.eventually;
import static io.orchestro.threads.application.testing.WorkflowCommands.step;
import static io.orchestro.threads.application.testing.WorkflowCommands.workflow;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestro.threads.application.port.out.ThreadEventLog;
import io.orchestro.threads.application.testing.ReportingAgent;
import io.orchestro.threads.domain.EventFilter;
import io.orchestro.threads.domain.LoggedEvent;
import io.orchestro.threads.domain.ThreadEvent;
import io.orchestro.threads.domain.ThreadEventType;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Progress reports of steps in flight become {@code step_progress} events: coalesced, never holding
 * the step up, the last one before the step's result, none about an attempt that ended.
 */
@Timeout(60)
class StepProgressTest {

  // under the 10,000 characters a progress event carries at most
  private static final int WORDS = 1000;

  private final EngineTestBed bed = new EngineTestBed();

  /**
   * The event log, whose progress writes hold until the agent has made its last report: were a
   * report to wait for a write, the agent would never finish.
   */
  private final ThreadEventLog slowLog =
      new ThreadEventLog() {
        @Override
        public List<LoggedEvent> read(long after, EventFilter filter, int limit) {
          return bed.store.read(after, filter, limit);
        }

        @Override
        public void appendProgress(ThreadEvent progress) {
          try {
            bed.reporting.finished.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
          }
          bed.store.appendProgress(progress);
        }

        @Override
        public void appendOnItsOwn(ThreadEvent event) {
          bed.store.appendOnItsOwn(event);
        }

        @Override
        public long prunedUpTo() {
          return bed.store.prunedUpTo();
        }

        @Override
        public int pruneBefore(Instant before, int limit) {
          return bed.store.pruneBefore(before, limit);
        }

        @Override
        public long lastSeq() {
          return bed.store.lastSeq();
        }

        @Override
        public void onAppended(Runnable listener) {
          bed.store.onAppended(listener);
        }
      };

  private final StepProgressPublisher progress =
      new StepProgressPublisher(slowLog, bed.store, bed.clock, Duration.ofMillis(50));

  StepProgressTest() {
    bed.startEngine(EngineTestBed.settings(EngineTestBed.NODE), progress);
    bed.workflows.put(
        workflow(
            "streaming",
            step("answer", ReportingAgent.NAME, Map.of("words", WORDS)),
            step("after", "echo", Map.of("template", "done"))));
  }

  @AfterEach
  void stop() {
    bed.close();
    progress.close();
  }

  @Test
  void aStepsReportsArePublishedCoalescedWithoutHoldingItUpAndTheLastBeforeItsResult() {
    ThreadId id = bed.create("streaming", "go");
    eventually().until(() -> bed.thread(id).status() == ThreadStatus.COMPLETED);

    List<ThreadEvent> events = bed.store.eventsOf(id);
    List<ThreadEvent> reports =
        events.stream().filter(e -> e.type() == ThreadEventType.STEP_PROGRESS).toList();
    // a thousand reports, a handful of events
    assertThat(reports).isNotEmpty().hasSizeLessThanOrEqualTo(5);
    assertThat(reports)
        .allSatisfy(
            report -> {
              assertThat(report.step()).isEqualTo("answer");
              assertThat(report.attempt()).isEqualTo(1);
              assertThat(report.status()).isEqualTo(ThreadStatus.RUNNING);
              assertThat(ReportingAgent.textOf(WORDS)).startsWith(report.detail());
            });
    int completed = indexOf(events, ThreadEventType.STEP_COMPLETED, "answer");
    ThreadEvent justBefore = events.get(completed - 1);
    assertThat(justBefore.type()).isEqualTo(ThreadEventType.STEP_PROGRESS);
    assertThat(justBefore.detail()).isEqualTo(ReportingAgent.textOf(WORDS));
    assertThat(events.indexOf(reports.get(0)))
        .isGreaterThan(indexOf(events, ThreadEventType.STEP_STARTED, "answer"));
  }

  @Test
  void aReportAboutAnAttemptThatEndedIsDropped() {
    ThreadId id = bed.create("streaming", "go");
    eventually().until(() -> bed.thread(id).status() == ThreadStatus.COMPLETED);
    int before = bed.store.eventsOf(id).size();

    progress.report(id, "answer", 1, "late words");
    // settling writes what is pending at once, or waits for the write already under way
    progress.settle(id, "answer");

    assertThat(bed.store.eventsOf(id)).hasSize(before);
  }

  private static int indexOf(List<ThreadEvent> events, ThreadEventType type, String step) {
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).type() == type && step.equals(events.get(i).step())) {
        return i;
      }
    }
    throw new AssertionError("no " + type + " of " + step);
  }
}
