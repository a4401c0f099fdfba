package io.orchestro.threads.domain;

import static io.orchestro.threads.domain.TestWorkflows.T0;
import static io.orchestro.threads.domain.TestWorkflows.threadIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What a store keeps of a thread and gets back: {@code snapshot()} and {@code restore(...)}. */
class WorkflowThreadSnapshotTest {

  private static Instant at(int seconds) {
    return T0.plusSeconds(seconds);
  }

  private static WorkflowThread runningWithBInFlight() {
    WorkflowThread thread = threadIn(ThreadStatus.RUNNING);
    thread.startStep("a", at(2));
    thread.completeStep("a", Map.of("out", List.of("A", Map.of("n", 1))), at(3));
    thread.startStep("b", at(4));
    return thread;
  }

  @ParameterizedTest
  @EnumSource(ThreadStatus.class)
  void aRestoredThreadGivesBackTheSameSnapshot(ThreadStatus status) {
    ThreadSnapshot snapshot = threadIn(status).snapshot();

    assertThat(WorkflowThread.restore(snapshot).snapshot()).isEqualTo(snapshot);
  }

  @Test
  void aRestoredThreadHasEveryFieldOfTheOriginal() {
    WorkflowThread original = runningWithBInFlight();
    original.pause(at(5));

    WorkflowThread restored = WorkflowThread.restore(original.snapshot());

    assertThat(restored.id()).isEqualTo(original.id());
    assertThat(restored.title()).isEqualTo(original.title());
    assertThat(restored.workflowType()).isEqualTo(original.workflowType());
    assertThat(restored.workflowVersion()).isEqualTo(original.workflowVersion());
    assertThat(restored.request()).isEqualTo(original.request());
    assertThat(restored.status()).isEqualTo(ThreadStatus.PAUSED);
    assertThat(restored.steps()).isEqualTo(original.steps());
    assertThat(restored.createdAt()).isEqualTo(T0);
    assertThat(restored.startTime()).isEqualTo(at(2));
    assertThat(restored.lastUpdated()).isEqualTo(at(5));
    assertThat(restored.finishedAt()).isNull();
    assertThat(restored.progress()).isEqualTo(original.progress());
    assertThat(restored.runningStep()).map(ThreadStep::name).contains("b");
  }

  @Test
  void aFailedThreadKeepsItsErrorAndFinishTimeAcrossARoundTrip() {
    WorkflowThread original = threadIn(ThreadStatus.FAILED);

    WorkflowThread restored = WorkflowThread.restore(original.snapshot());

    assertThat(restored.errorMessage()).isEqualTo("boom");
    assertThat(restored.finishedAt()).isEqualTo(original.finishedAt()).isNotNull();
  }

  @Test
  void theVersionComesFromTheStore() {
    ThreadSnapshot stored = runningWithBInFlight().snapshot().withVersion(7);

    WorkflowThread restored = WorkflowThread.restore(stored);

    assertThat(restored.version()).isEqualTo(7);
    assertThat(restored.snapshot().version()).isEqualTo(7);
  }

  @Test
  void aRestoredThreadHasNoNewEventsUntilItChanges() {
    WorkflowThread restored = WorkflowThread.restore(runningWithBInFlight().snapshot());

    assertThat(restored.newEvents()).isEmpty();

    restored.completeStep("b", Map.of(), at(6));

    assertThat(restored.newEvents())
        .singleElement()
        .isEqualTo(
            new ThreadEvent(
                ThreadEventType.STEP_COMPLETED,
                restored.id(),
                at(6),
                ThreadStatus.RUNNING,
                "b",
                Progress.of(2, 3, "c")));
  }

  @Test
  void tellsWhichStepsChangedSinceItWasRestoredSoThatAStoreWritesOnlyThose() {
    WorkflowThread restored = WorkflowThread.restore(runningWithBInFlight().snapshot());
    assertThat(restored.changedSteps()).isEmpty();

    restored.completeStep("b", Map.of(), at(6));
    restored.startStep("c", at(6));

    assertThat(restored.changedSteps()).containsExactly(1, 2);
  }

  @Test
  void countsEveryStepOfANewThreadAsChanged() {
    assertThat(threadIn(ThreadStatus.PENDING).changedSteps()).containsExactly(0, 1, 2);
  }

  @Test
  void aRetryChangesOnlyTheFailedStep() {
    WorkflowThread failed = WorkflowThread.restore(threadIn(ThreadStatus.FAILED).snapshot());

    failed.retry(at(30));

    // step a, the first, failed; b and c never ran
    assertThat(failed.changedSteps()).containsExactly(0);
  }

  @Test
  void aRestoredThreadThatAlreadyStartedDoesNotRecordThreadStartedAgain() {
    WorkflowThread restored = WorkflowThread.restore(runningWithBInFlight().snapshot());
    restored.recover(at(20));

    restored.start(at(21));

    assertThat(restored.newEvents())
        .extracting(ThreadEvent::type)
        .containsExactly(ThreadEventType.THREAD_RECOVERED);
  }

  @Test
  void aSnapshotDoesNotChangeWhenTheThreadChangesLater() {
    WorkflowThread thread = runningWithBInFlight();
    ThreadSnapshot before = thread.snapshot();

    thread.completeStep("b", Map.of(), at(6));

    assertThat(before.steps().get(1).status()).isEqualTo(StepStatus.RUNNING);
    assertThat(before.status()).isEqualTo(ThreadStatus.RUNNING);
    assertThatThrownBy(() -> before.steps().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aThreadWithoutStepsCannotBeRestored() {
    ThreadSnapshot snapshot = threadIn(ThreadStatus.PENDING).snapshot();
    ThreadSnapshot empty =
        new ThreadSnapshot(
            snapshot.id(),
            snapshot.owner(),
            snapshot.title(),
            snapshot.workflowType(),
            snapshot.workflowVersion(),
            snapshot.request(),
            snapshot.status(),
            List.of(),
            null,
            snapshot.createdAt(),
            null,
            snapshot.lastUpdated(),
            null,
            0);

    assertThatThrownBy(() -> WorkflowThread.restore(empty))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("thread " + snapshot.id() + " has no steps");
  }

  @Test
  void aSnapshotWithoutStatusCannotBeRestored() {
    ThreadSnapshot snapshot = threadIn(ThreadStatus.PENDING).snapshot();
    ThreadSnapshot noStatus =
        new ThreadSnapshot(
            snapshot.id(),
            snapshot.owner(),
            snapshot.title(),
            snapshot.workflowType(),
            snapshot.workflowVersion(),
            snapshot.request(),
            null,
            snapshot.steps(),
            null,
            snapshot.createdAt(),
            null,
            snapshot.lastUpdated(),
            null,
            0);

    assertThatThrownBy(() -> WorkflowThread.restore(noStatus))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("status");
  }
}
