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
   * Bug 1. Today the thread stays PAUSED with every step completed (100 %, current_step null).
   * Resume makes it PENDING, the engine's start() makes it RUNNING, and then it is stuck:
   * nextStepToRun() is empty, no step is in flight and nothing can ever complete it.
   * Fix: ThreadStatus.after: PAUSED + COMPLETE -> COMPLETED; WorkflowThread.completeStep: finish
   * the thread when every step is completed and the thread is not finished (!status.isFinished())
   * instead of only when it is active.
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
   * Bug 2. Today the step becomes FAILED while the thread stays PAUSED. Resume and start() then
   * skip the failed step (nextStepToRun() takes the first PENDING step, c), and after c the
   * thread is stuck RUNNING with a failed step, nothing to run and no error_message.
   * Fix: ThreadStatus.after: PAUSED + FAIL -> FAILED; WorkflowThread.failStep: fail the thread on
   * the final failure when it is not finished (!status.isFinished()) instead of only when active.
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
   * Bug 3. titleFor counts UTF-16 code units, not characters: a prompt of 30 emoji (60 units)
   * gets cut to 15 of them plus "...", and a cut after 30 units can split a surrogate pair,
   * leaving half a character in the title (not valid Unicode; breaks UTF-8 storage and JSON).
   * Fix: ThreadRequest.titleFor: compare prompt.codePointCount(0, prompt.length()) with
   * TITLE_PROMPT_CHARS and cut at prompt.offsetByCodePoints(0, TITLE_PROMPT_CHARS).
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
   * Bug 4. A null keyword or a null step (JSON [null]) escapes as a NullPointerException from
   * List.copyOf instead of the InvalidWorkflowDefinitionException (400) every other broken
   * definition gets; api.md: "No input, however malformed, produces a 500".
   * Fix: WorkflowDefinition's compact constructor: check
   * keywords.stream().anyMatch(k -> k == null || k.isBlank()) before List.copyOf(keywords), and
   * reject steps.stream().anyMatch(Objects::isNull) with an InvalidWorkflowDefinitionException
   * before List.copyOf(steps) (List.contains(null) throws on immutable lists, so use a stream).
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
