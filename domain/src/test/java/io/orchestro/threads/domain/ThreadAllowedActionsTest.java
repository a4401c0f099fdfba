package io.orchestro.threads.domain;

import static io.orchestro.threads.domain.TestWorkflows.T0;
import static io.orchestro.threads.domain.TestWorkflows.threadIn;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ThreadStatus#allowedActions()}: what a client offers a person, for every status, and that
 * it offers exactly the calls that would change the thread.
 */
class ThreadAllowedActionsTest {

  private static final Instant CALL_TIME = T0.plusSeconds(60);

  static Stream<Arguments> expectedActions() {
    return Stream.of(
        Arguments.of(ThreadStatus.PENDING, List.of("pause", "cancel", "delete")),
        Arguments.of(ThreadStatus.RUNNING, List.of("pause", "cancel", "delete")),
        Arguments.of(ThreadStatus.PAUSED, List.of("resume", "cancel", "delete")),
        Arguments.of(ThreadStatus.COMPLETED, List.of("delete")),
        Arguments.of(ThreadStatus.FAILED, List.of("retry", "delete")));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("expectedActions")
  void eachStatusAllowsTheCallsThatChangeSomethingInTheFixedOrder(
      ThreadStatus status, List<String> expected) {
    assertThat(status.allowedActions()).extracting(ThreadAction::wireName).isEqualTo(expected);
  }

  @Test
  void everyStatusHasItsExpectation() {
    assertThat(expectedActions().map(arguments -> arguments.get()[0]))
        .containsExactlyInAnyOrder((Object[]) ThreadStatus.values());
  }

  static Stream<Arguments> everyStatusAndAction() {
    return Arrays.stream(ThreadStatus.values())
        .flatMap(
            status ->
                Arrays.stream(ThreadAction.values()).map(action -> Arguments.of(status, action)));
  }

  /** The list and the thread's own methods must agree, or a client offers a call that fails. */
  @ParameterizedTest(name = "{1} on a {0} thread")
  @MethodSource("everyStatusAndAction")
  void aCallIsAllowedExactlyWhenMakingItChangesTheThread(ThreadStatus status, ThreadAction action) {
    WorkflowThread thread = threadIn(status);
    ThreadSnapshot before = thread.snapshot();

    boolean changed;
    try {
      call(thread, action);
      changed = !thread.snapshot().equals(before);
    } catch (IllegalTransitionException refused) {
      changed = false;
    }

    assertThat(status.allowedActions().contains(action)).isEqualTo(changed);
  }

  private static void call(WorkflowThread thread, ThreadAction action) {
    switch (action) {
      case PAUSE -> thread.pause(CALL_TIME);
      case RESUME -> thread.resume(CALL_TIME);
      case RETRY -> thread.retry(CALL_TIME);
      case CANCEL -> thread.cancel(CALL_TIME);
      case DELETE -> thread.delete(CALL_TIME);
    }
  }
}
