package io.orchestro.threads.domain;

import static io.orchestro.threads.domain.TestWorkflows.T0;
import static io.orchestro.threads.domain.TestWorkflows.threadIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import io.orchestro.threads.domain.ThreadStatusTransitionTableTest.Cell;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The people's calls (pause, resume, retry, cancel, delete) made on a thread in each status,
 * checked against the same expected table as {@link ThreadStatusTransitionTableTest}.
 */
class WorkflowThreadLifecycleCallsTest {

  private static final Instant CALL_TIME = T0.plusSeconds(60);

  static Stream<Cell> forbiddenCalls() {
    return ThreadStatusTransitionTableTest.peoplesCalls()
        .filter(cell -> cell.expected().equals(ThreadStatusTransitionTableTest.ILLEGAL));
  }

  static Stream<Cell> callsThatChangeNothing() {
    return ThreadStatusTransitionTableTest.peoplesCalls()
        .filter(cell -> cell.expected().equals(ThreadStatusTransitionTableTest.NO_CHANGE));
  }

  static Stream<Cell> allowedMoves() {
    return ThreadStatusTransitionTableTest.peoplesCalls()
        .filter(cell -> !cell.expected().equals(ThreadStatusTransitionTableTest.ILLEGAL))
        .filter(cell -> !cell.expected().equals(ThreadStatusTransitionTableTest.NO_CHANGE));
  }

  @Test
  void theTableGivesEveryKindOfCellForPeoplesCalls() {
    assertThat(forbiddenCalls()).hasSize(10);
    assertThat(callsThatChangeNothing()).hasSize(3);
    assertThat(allowedMoves()).hasSize(7);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("forbiddenCalls")
  void aCallTheTableForbidsThrowsAClearExceptionAndChangesNothing(Cell cell) {
    WorkflowThread thread = threadIn(cell.from());
    ThreadSnapshot before = thread.snapshot();
    int eventsBefore = thread.newEvents().size();

    IllegalTransitionException refused =
        catchThrowableOfType(IllegalTransitionException.class, () -> call(thread, cell.call()));

    assertThat(refused).isNotNull();
    assertThat(refused.from()).isEqualTo(cell.from());
    assertThat(refused.transition()).isEqualTo(cell.call());
    assertThat(refused)
        .hasMessage(
            "cannot "
                + cell.call().name().toLowerCase()
                + " thread "
                + thread.id()
                + ": it is "
                + cell.from().wireName());
    assertThat(thread.snapshot()).isEqualTo(before);
    assertThat(thread.newEvents()).hasSize(eventsBefore);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("callsThatChangeNothing")
  void aCallThatChangesNothingAnswersFalseAndRecordsNothing(Cell cell) {
    WorkflowThread thread = threadIn(cell.from());
    ThreadSnapshot before = thread.snapshot();
    int eventsBefore = thread.newEvents().size();

    boolean changed = call(thread, cell.call());

    assertThat(changed).isFalse();
    assertThat(thread.status()).isEqualTo(cell.from());
    assertThat(thread.snapshot()).isEqualTo(before);
    assertThat(thread.newEvents()).hasSize(eventsBefore);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allowedMoves")
  void anAllowedCallMovesTheThreadAndRecordsItsEvent(Cell cell) {
    WorkflowThread thread = threadIn(cell.from());
    int eventsBefore = thread.newEvents().size();

    boolean changed = call(thread, cell.call());

    ThreadStatus expected = ThreadStatus.valueOf(cell.expected());
    assertThat(changed).isTrue();
    assertThat(thread.status()).isEqualTo(expected);
    assertThat(thread.lastUpdated()).isEqualTo(CALL_TIME);
    List<ThreadEvent> recorded =
        thread.newEvents().subList(eventsBefore, thread.newEvents().size());
    assertThat(recorded)
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.type()).isEqualTo(eventOf(cell.call()));
              assertThat(event.status()).isEqualTo(expected);
              assertThat(event.threadId()).isEqualTo(thread.id());
              assertThat(event.at()).isEqualTo(CALL_TIME);
              assertThat(event.step()).isNull();
              assertThat(event.progress()).isEqualTo(thread.progress());
            });
  }

  @ParameterizedTest
  @EnumSource(ThreadStatus.class)
  void deleteIsAllowedFromEveryStatusAndRecordsThreadDeletedWithoutChangingTheStatus(
      ThreadStatus status) {
    WorkflowThread thread = threadIn(status);
    int eventsBefore = thread.newEvents().size();

    thread.delete(CALL_TIME);

    assertThat(thread.status()).isEqualTo(status);
    assertThat(thread.lastUpdated()).isEqualTo(CALL_TIME);
    assertThat(thread.newEvents().subList(eventsBefore, thread.newEvents().size()))
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.type()).isEqualTo(ThreadEventType.THREAD_DELETED);
              assertThat(event.status()).isEqualTo(status);
              assertThat(event.progress()).isEqualTo(thread.progress());
            });
  }

  @Test
  void cancelFailsTheStepInFlightAndTheThreadWithCancelledAndARetryRunsThatStepAgain() {
    WorkflowThread thread = threadIn(ThreadStatus.RUNNING);
    thread.startStep("a", T0.plusSeconds(2));
    thread.completeStep("a", Map.of(), T0.plusSeconds(3));
    thread.startStep("b", T0.plusSeconds(4));
    int eventsBefore = thread.newEvents().size();

    thread.cancel(CALL_TIME);

    assertThat(thread.status()).isEqualTo(ThreadStatus.FAILED);
    assertThat(thread.errorMessage()).isEqualTo("cancelled");
    assertThat(thread.finishedAt()).isEqualTo(CALL_TIME);
    assertThat(thread.runningStep()).isEmpty();
    assertThat(thread.step("b").orElseThrow())
        .extracting(ThreadStep::status, ThreadStep::error)
        .containsExactly(StepStatus.FAILED, "cancelled");
    assertThat(thread.newEvents().subList(eventsBefore, thread.newEvents().size()))
        .extracting(ThreadEvent::type, ThreadEvent::step)
        .containsExactly(
            tuple(ThreadEventType.STEP_FAILED, "b"), tuple(ThreadEventType.THREAD_FAILED, null));

    thread.retry(CALL_TIME.plusSeconds(1));
    thread.start(CALL_TIME.plusSeconds(1));
    assertThat(thread.nextStepToRun()).map(ThreadStep::name).hasValue("b");
  }

  /**
   * Makes the call; true when it changed the thread (retry answers nothing: it either changes or
   * throws).
   */
  private static boolean call(WorkflowThread thread, Transition call) {
    return switch (call) {
      case PAUSE -> thread.pause(CALL_TIME);
      case RESUME -> thread.resume(CALL_TIME);
      case RETRY -> {
        thread.retry(CALL_TIME);
        yield true;
      }
      case CANCEL -> {
        thread.cancel(CALL_TIME);
        yield true;
      }
      default -> throw new IllegalArgumentException(call + " is not a people's call");
    };
  }

  private static ThreadEventType eventOf(Transition call) {
    return switch (call) {
      case PAUSE -> ThreadEventType.THREAD_PAUSED;
      case RESUME -> ThreadEventType.THREAD_RESUMED;
      case RETRY -> ThreadEventType.THREAD_RETRIED;
      case CANCEL -> ThreadEventType.THREAD_FAILED;
      default -> throw new IllegalArgumentException(call + " is not a people's call");
    };
  }
}
