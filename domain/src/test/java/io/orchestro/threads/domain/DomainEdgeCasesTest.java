package io.orchestro.threads.domain;

import static io.orchestro.threads.domain.TestWorkflows.T0;
import static io.orchestro.threads.domain.TestWorkflows.step;
import static io.orchestro.threads.domain.TestWorkflows.threadIn;
import static io.orchestro.threads.domain.ThreadEventType.STEP_COMPLETED;
import static io.orchestro.threads.domain.ThreadEventType.STEP_FAILED;
import static io.orchestro.threads.domain.ThreadEventType.THREAD_COMPLETED;
import static io.orchestro.threads.domain.ThreadEventType.THREAD_FAILED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Edge cases that once went wrong: a pause racing the last step or the last failed attempt, titles
 * cut inside a character, null parts of a definition. Kept as regression tests.
 */
class DomainEdgeCasesTest {

  private static Instant at(int seconds) {
    return T0.plusSeconds(seconds);
  }

  /** A thread (steps a, b, c) that was paused while its last step, c, was in flight. */
  private static WorkflowThread pausedWhileLastStepInFlight() {
    WorkflowThread thread = threadIn(ThreadStatus.RUNNING);
    thread.startStep("a", at(2));
    thread.completeStep("a", Map.of(), at(3));
    thread.startStep("b", at(4));
    thread.completeStep("b", Map.of(), at(5));
    thread.startStep("c", at(6));
    thread.pause(at(7));
    return thread;
  }

  /*
   * The thread once stayed PAUSED with every step completed and, once resumed, was stuck RUNNING
   * with nothing left to run. The table now takes PAUSED + COMPLETE to COMPLETED, and completeStep
   * finishes every thread that is not finished yet.
   */
  @Test
  @DisplayName("a thread paused while its last step runs completes when that step completes")
  void aThreadPausedWhileItsLastStepRunsCompletesWhenThatStepCompletes() {
    WorkflowThread thread = pausedWhileLastStepInFlight();
    int events = thread.newEvents().size();

    thread.completeStep("c", Map.of(), at(8));

    assertThat(thread.status()).isEqualTo(ThreadStatus.COMPLETED);
    assertThat(thread.finishedAt()).isEqualTo(at(8));
    assertThat(thread.newEvents().subList(events, thread.newEvents().size()))
        .extracting(ThreadEvent::type, ThreadEvent::status)
        .containsExactly(
            tuple(STEP_COMPLETED, ThreadStatus.PAUSED),
            tuple(THREAD_COMPLETED, ThreadStatus.COMPLETED));
  }

  /*
   * The step once became FAILED while the thread stayed PAUSED; a resume then skipped the failed
   * step and the thread ended stuck RUNNING without an error_message. The table now takes PAUSED +
   * FAIL to FAILED, and failStep fails every thread that is not finished yet.
   */
  @Test
  @DisplayName("a step that uses up its attempts while the thread is paused fails the thread")
  void aStepThatUsesUpItsAttemptsWhileTheThreadIsPausedFailsTheThread() {
    WorkflowThread thread = pausedWhileLastStepInFlight();
    int events = thread.newEvents().size();

    boolean threadFailed = thread.failStep("c", "boom", RetryPolicy.NONE, at(8));

    assertThat(threadFailed).isTrue();
    assertThat(thread.status()).isEqualTo(ThreadStatus.FAILED);
    assertThat(thread.errorMessage()).isEqualTo("boom");
    assertThat(thread.newEvents().subList(events, thread.newEvents().size()))
        .extracting(ThreadEvent::type, ThreadEvent::status)
        .containsExactly(
            tuple(STEP_FAILED, ThreadStatus.PAUSED), tuple(THREAD_FAILED, ThreadStatus.FAILED));

    thread.retry(at(9));
    thread.start(at(10));

    assertThat(thread.nextStepToRun()).map(ThreadStep::name).contains("c");
  }

  /*
   * The title once counted UTF-16 units rather than characters: 30 emoji were cut to 15 plus
   * "...", and a cut could split a surrogate pair, leaving half a character (not valid Unicode).
   * titleFor counts and cuts by code points.
   */
  @Test
  @DisplayName("a prompt of 30 characters outside the BMP is kept whole without dots")
  void aPromptOfThirtyEmojiIsThirtyCharactersAndKeptWhole() {
    String thirtyEmoji = "\uD83D\uDE00".repeat(30);

    assertThat(TestWorkflows.request(thirtyEmoji).titleFor("general"))
        .isEqualTo("Workflow - " + thirtyEmoji);
  }

  @Test
  @DisplayName("cutting the prompt for the title never splits a character in two")
  void cuttingThePromptNeverSplitsACharacter() {
    String emoji = "\uD83D\uDE00";
    String prompt = "a".repeat(29) + emoji + "and more";

    String title = TestWorkflows.request(prompt).titleFor("general");

    assertThat(title).isEqualTo("Workflow - " + "a".repeat(29) + emoji + "...");
  }

  /*
   * A null keyword or step (JSON [null]) once escaped as a NullPointerException, a 500, instead of
   * the InvalidWorkflowDefinitionException (a 400) every other broken definition gets;
   * docs/api.md "Errors" keeps 500 for faults of the service itself.
   */
  @Test
  @DisplayName("a null keyword is an invalid definition, not a NullPointerException")
  void aNullKeywordIsAnInvalidDefinition() {
    List<String> keywords = Arrays.asList("research", null);
    List<StepDefinition> steps = List.of(step("a", null));

    assertThatThrownBy(() -> new WorkflowDefinition("test", 1, "d", keywords, steps))
        .isInstanceOf(InvalidWorkflowDefinitionException.class);
  }

  @Test
  @DisplayName("a null step is an invalid definition, not a NullPointerException")
  void aNullStepIsAnInvalidDefinition() {
    List<StepDefinition> steps = Arrays.asList(step("a", null), null);

    assertThatThrownBy(() -> new WorkflowDefinition("test", 1, "d", List.of(), steps))
        .isInstanceOf(InvalidWorkflowDefinitionException.class);
  }
}
