package io.orchestro.threads.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every cell of {@link ThreadStatus#after(Transition)}, against a table written out by hand. */
class ThreadStatusTransitionTableTest {

  /** The expected cell value when the call leaves the status as it is. */
  static final String NO_CHANGE = "no change";

  /** The expected cell value when the call is not allowed (409 for people's calls). */
  static final String ILLEGAL = "illegal";

  /**
   * The pause, resume, retry and cancel rows mirror docs/api.md "Lifecycle rules"; start, complete
   * and fail are the engine's own moves. Delete is allowed from every status and changes no status,
   * so it has no column here (see {@link WorkflowThreadLifecycleCallsTest}).
   */
  static final String TABLE =
      """
      # from     | call     | expected
      PENDING    | PAUSE    | PAUSED
      PENDING    | RESUME   | no change
      PENDING    | RETRY    | illegal
      RUNNING    | PAUSE    | PAUSED
      RUNNING    | RESUME   | no change
      RUNNING    | RETRY    | illegal
      PAUSED     | PAUSE    | no change
      PAUSED     | RESUME   | PENDING
      PAUSED     | RETRY    | illegal
      COMPLETED  | PAUSE    | illegal
      COMPLETED  | RESUME   | illegal
      COMPLETED  | RETRY    | illegal
      FAILED     | PAUSE    | illegal
      FAILED     | RESUME   | illegal
      FAILED     | RETRY    | PENDING
      # cancel (docs/api.md "Cancel"): stops an unfinished thread for good, keeping it as failed
      PENDING    | CANCEL   | FAILED
      RUNNING    | CANCEL   | FAILED
      PAUSED     | CANCEL   | FAILED
      COMPLETED  | CANCEL   | illegal
      FAILED     | CANCEL   | illegal
      # engine moves
      PENDING    | START    | RUNNING
      # a thread reclaimed after a crash or a lost claim is running already
      RUNNING    | START    | no change
      # a paused thread never starts another step until it is resumed
      PAUSED     | START    | illegal
      COMPLETED  | START    | illegal
      FAILED     | START    | illegal
      PENDING    | COMPLETE | illegal
      RUNNING    | COMPLETE | COMPLETED
      # a step still in flight when the pause came may end the thread (see DomainEdgeCasesTest):
      # the last step completing completes it
      PAUSED     | COMPLETE | COMPLETED
      COMPLETED  | COMPLETE | illegal
      FAILED     | COMPLETE | illegal
      PENDING    | FAIL     | illegal
      RUNNING    | FAIL     | FAILED
      # and a step using up its attempts fails it
      PAUSED     | FAIL     | FAILED
      COMPLETED  | FAIL     | illegal
      FAILED     | FAIL     | illegal
      """;

  record Cell(ThreadStatus from, Transition call, String expected) {

    /** What {@link ThreadStatus#after(Transition)} must answer for this cell. */
    Optional<ThreadStatus> expectedAfter() {
      return switch (expected) {
        case ILLEGAL -> Optional.empty();
        case NO_CHANGE -> Optional.of(from);
        default -> Optional.of(ThreadStatus.valueOf(expected));
      };
    }

    boolean isPeoplesCall() {
      return call == Transition.PAUSE
          || call == Transition.RESUME
          || call == Transition.RETRY
          || call == Transition.CANCEL;
    }

    @Override
    public String toString() {
      return from + " + " + call + " -> " + expected;
    }
  }

  static List<Cell> cells() {
    return TABLE
        .lines()
        .map(String::strip)
        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
        .map(line -> line.split("\\|"))
        .map(
            parts ->
                new Cell(
                    ThreadStatus.valueOf(parts[0].strip()),
                    Transition.valueOf(parts[1].strip()),
                    parts[2].strip()))
        .toList();
  }

  static Stream<Cell> everyCell() {
    return cells().stream();
  }

  /** The pause, resume, retry and cancel cells, for {@link WorkflowThreadLifecycleCallsTest}. */
  static Stream<Cell> peoplesCalls() {
    return cells().stream().filter(Cell::isPeoplesCall);
  }

  @Test
  void theExpectedTableHasExactlyOneCellForEveryStatusAndTransition() {
    List<Cell> cells = cells();
    Set<String> seen = new HashSet<>();
    for (Cell cell : cells) {
      assertThat(seen.add(cell.from() + "/" + cell.call()))
          .as("cell %s appears once", cell)
          .isTrue();
    }
    assertThat(cells)
        .hasSize(ThreadStatus.values().length * Transition.values().length)
        .allSatisfy(
            cell ->
                assertThat(cell.expected())
                    .isIn(
                        Stream.concat(
                                Stream.of(NO_CHANGE, ILLEGAL),
                                Arrays.stream(ThreadStatus.values()).map(Enum::name))
                            .toList()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyCell")
  void statusAfterTransitionMatchesTheTable(Cell cell) {
    assertThat(cell.from().after(cell.call())).isEqualTo(cell.expectedAfter());
  }

  @ParameterizedTest
  @EnumSource(Transition.class)
  void aCompletedThreadAllowsNothing(Transition call) {
    assertThat(ThreadStatus.COMPLETED.after(call)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(ThreadStatus.class)
  void onlyPendingAndRunningAreActiveAndOnlyCompletedAndFailedAreFinished(ThreadStatus status) {
    boolean active = status == ThreadStatus.PENDING || status == ThreadStatus.RUNNING;
    boolean finished = status == ThreadStatus.COMPLETED || status == ThreadStatus.FAILED;
    assertThat(status.isActive()).isEqualTo(active);
    assertThat(status.isFinished()).isEqualTo(finished);
  }

  @ParameterizedTest
  @EnumSource(ThreadStatus.class)
  void wireNameIsLowerCaseAndParsesBack(ThreadStatus status) {
    assertThat(status.wireName()).isEqualTo(status.name().toLowerCase());
    assertThat(ThreadStatus.fromWireName(status.wireName())).isEqualTo(status);
  }

  @Test
  void unknownOrUpperCaseWireNamesAreRejected() {
    assertThatThrownBy(() -> ThreadStatus.fromWireName("cancelled"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cancelled");
    assertThatThrownBy(() -> ThreadStatus.fromWireName("RUNNING"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ThreadStatus.fromWireName(null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
