package io.orchestro.threads.application.engine;

import static io.orchestro.threads.application.engine.EngineTestBed.eventually;
import static io.orchestro.threads.application.testing.WorkflowCommands.step;
import static io.orchestro.threads.application.testing.WorkflowCommands.workflow;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestro.threads.domain.RetryPolicy;
import io.orchestro.threads.domain.StepStatus;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.WorkflowThread;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the engine keeps of a thread is bounded: each step's output, and the thread's total. */
@Timeout(60)
class ThreadEngineLimitsTest {

  private static final long MAX_STEP_OUTPUT = 1_000;
  private static final long MAX_THREAD = 2_500;

  private final EngineTestBed bed = new EngineTestBed();

  ThreadEngineLimitsTest() {
    EngineSettings usual = EngineTestBed.settings(EngineTestBed.NODE);
    bed.startEngine(
        new EngineSettings(
            usual.nodeId(),
            usual.maxRunningThreads(),
            usual.lease(),
            usual.pollInterval(),
            usual.claimBatch(),
            usual.takeOverAtStart(),
            MAX_STEP_OUTPUT,
            MAX_THREAD));
  }

  @AfterEach
  void stop() {
    bed.close();
  }

  @Test
  void anOutputOverTheStepLimitFailsTheThreadWithoutRetryingAndIsNotKept() {
    bed.workflows.put(
        workflow(
            "too-long",
            step(
                "repeat",
                "echo",
                Map.of("template", "{{prompt}}{{prompt}}"),
                new RetryPolicy(3, 0),
                null)));
    ThreadId id = bed.create("too-long", "x".repeat(500));

    eventually().until(() -> bed.thread(id).status() == ThreadStatus.FAILED);

    WorkflowThread failed = bed.thread(id);
    // {"text":"x…x"}: 1000 characters, 11 more for the JSON around them
    assertThat(failed.errorMessage())
        .isEqualTo(
            "the step's output is 1011 bytes, over the limit of 1000"
                + " (orchestro.engine.max-step-output)");
    assertThat(bed.attempts(id, "repeat")).isEqualTo(1);
    assertThat(bed.step(id, "repeat").output()).isNull();
  }

  @Test
  void theOutputThatWouldTakeTheThreadOverItsLimitFailsItsStepAndEarlierOutputsStay() {
    bed.workflows.put(
        workflow(
            "chain",
            step("one", "echo", Map.of()),
            step("two", "echo", Map.of()),
            step("three", "echo", Map.of()),
            step("four", "echo", Map.of())));
    ThreadId id = bed.create("chain", "y".repeat(600));

    eventually().until(() -> bed.thread(id).status() == ThreadStatus.FAILED);

    // the input takes about 615 bytes and each output 611: the fourth output would pass 2,500
    WorkflowThread failed = bed.thread(id);
    assertThat(failed.errorMessage())
        .startsWith("with this step's output the thread would take ")
        .endsWith(" bytes, over the limit of 2500 (orchestro.engine.max-thread-size)");
    assertThat(failed.step("three").orElseThrow().status()).isEqualTo(StepStatus.COMPLETED);
    assertThat(failed.step("three").orElseThrow().output()).containsEntry("text", "y".repeat(600));
    assertThat(failed.step("four").orElseThrow().status()).isEqualTo(StepStatus.FAILED);
  }

  @Test
  void aLongErrorMessageIsCutShort() {
    bed.workflows.put(
        workflow("loud", step("shout", "fail", Map.of("message", "!".repeat(50_000)))));
    ThreadId id = bed.create("loud", "anything");

    eventually().until(() -> bed.thread(id).status() == ThreadStatus.FAILED);

    assertThat(bed.thread(id).errorMessage()).isEqualTo("!".repeat(2000) + "… (50000 characters)");
  }
}
