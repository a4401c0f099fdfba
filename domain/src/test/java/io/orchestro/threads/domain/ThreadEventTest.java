package io.orchestro.threads.domain;

import static io.orchestro.threads.domain.TestWorkflows.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ThreadEventTest {

  private static final ThreadId ID = ThreadId.generate();
  private static final Progress PROGRESS = Progress.of(0, 1, "a");

  @Test
  void theEventTypesAreExactlyThoseOfTheContract() {
    assertThat(Arrays.stream(ThreadEventType.values()).map(ThreadEventType::wireName))
        .containsExactly(
            "thread_created",
            "thread_started",
            "step_started",
            "step_completed",
            "step_failed",
            "step_progress",
            "thread_paused",
            "thread_resumed",
            "thread_retried",
            "thread_recovered",
            "thread_completed",
            "thread_failed",
            "thread_deleted",
            "webhook_disabled");
  }

  @Test
  void onlyAStepProgressEventCarriesAnAttemptAndADetail() {
    ThreadEvent progress =
        ThreadEvent.stepProgress(ID, T0, ThreadStatus.RUNNING, "a", PROGRESS, 2, "half way");
    assertThat(progress.type()).isEqualTo(ThreadEventType.STEP_PROGRESS);
    assertThat(progress.attempt()).isEqualTo(2);
    assertThat(progress.detail()).isEqualTo("half way");
    assertThat(progress.at(T0.plusSeconds(1)))
        .isEqualTo(
            ThreadEvent.stepProgress(
                ID, T0.plusSeconds(1), ThreadStatus.RUNNING, "a", PROGRESS, 2, "half way"));

    assertThatThrownBy(
            () ->
                new ThreadEvent(
                    ThreadEventType.STEP_STARTED,
                    ID,
                    T0,
                    ThreadStatus.RUNNING,
                    "a",
                    PROGRESS,
                    1,
                    "x",
                    Caller.LOCAL_OWNER,
                    Caller.ENGINE_ACTOR))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new ThreadEvent(
                    ThreadEventType.STEP_PROGRESS, ID, T0, ThreadStatus.RUNNING, "a", PROGRESS))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @EnumSource(ThreadEventType.class)
  void eventTypeWireNamesParseBack(ThreadEventType type) {
    assertThat(ThreadEventType.fromWireName(type.wireName())).isEqualTo(type);
  }

  @Test
  void anUnknownEventTypeIsRejected() {
    assertThatThrownBy(() -> ThreadEventType.fromWireName("thread_exploded"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown event type 'thread_exploded'");
  }

  @Test
  void anEventAlwaysCarriesTypeThreadTimeStatusAndProgressButMayNameNoStep() {
    ThreadStatus running = ThreadStatus.RUNNING;
    ThreadEventType started = ThreadEventType.THREAD_STARTED;

    assertThat(new ThreadEvent(started, ID, T0, running, null, PROGRESS).step()).isNull();
    assertThatThrownBy(() -> new ThreadEvent(null, ID, T0, running, null, PROGRESS))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new ThreadEvent(started, null, T0, running, null, PROGRESS))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new ThreadEvent(started, ID, null, running, null, PROGRESS))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new ThreadEvent(started, ID, T0, null, null, PROGRESS))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new ThreadEvent(started, ID, T0, running, null, null))
        .isInstanceOf(NullPointerException.class);
  }
}
