package io.orchestro.threads.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventJsonTest {

  private static final ThreadId ID = ThreadId.parse("3f1c2a9e-6f0b-4d7e-9a55-0c1f7d2b8e41");

  @Test
  void hasTheApiFieldsInTheApiOrder() {
    Map<String, Object> json =
        EventJson.of(
            new LoggedEvent(
                1042,
                new ThreadEvent(
                    ThreadEventType.STEP_COMPLETED,
                    ID,
                    Instant.parse("2026-11-28T10:00:02.412Z"),
                    ThreadStatus.RUNNING,
                    "plan",
                    Progress.of(1, 4, "draft"),
                    "alice",
                    "bob")));

    assertThat(json)
        .containsExactly(
            Map.entry("seq", 1042L),
            Map.entry("type", "step_completed"),
            Map.entry("thread_id", ID.toString()),
            Map.entry("at", "2026-11-28T10:00:02.412Z"),
            Map.entry("status", "running"),
            Map.entry("step", "plan"),
            Map.entry("progress", json.get("progress")),
            Map.entry("actor", "bob"));
    assertThat(progressOf(json))
        .containsExactly(
            Map.entry("completed", 1),
            Map.entry("total", 4),
            Map.entry("current_step", "draft"),
            Map.entry("percent", 25));
  }

  @Test
  void showsTimesWithExactlyThreeFractionDigitsAndAbsentValuesAsNull() {
    Map<String, Object> json =
        EventJson.of(
            new LoggedEvent(
                1,
                new ThreadEvent(
                    ThreadEventType.THREAD_COMPLETED,
                    ID,
                    Instant.parse("2026-11-28T10:00:03.000999Z"),
                    ThreadStatus.COMPLETED,
                    null,
                    Progress.of(2, 2, null))));

    assertThat(json).containsEntry("at", "2026-11-28T10:00:03.000Z").containsEntry("step", null);
    assertThat(progressOf(json)).containsEntry("current_step", null);
  }

  @Test
  void aStepProgressEventCarriesItsAttemptAndDetailInTheContractOrder() {
    Map<String, Object> json =
        EventJson.of(
            new LoggedEvent(
                7,
                ThreadEvent.stepProgress(
                    ID,
                    Instant.parse("2026-11-28T10:00:02.412Z"),
                    ThreadStatus.RUNNING,
                    "draft",
                    Progress.of(1, 4, "draft"),
                    2,
                    "The report so")));

    assertThat(json.keySet())
        .containsExactly(
            "seq",
            "type",
            "thread_id",
            "at",
            "status",
            "step",
            "attempt",
            "progress",
            "detail",
            "actor");
    assertThat(json)
        .containsEntry("actor", Caller.ENGINE_ACTOR)
        .containsEntry("type", "step_progress")
        .containsEntry("attempt", 2)
        .containsEntry("detail", "The report so");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> progressOf(Map<String, Object> json) {
    return (Map<String, Object>) json.get("progress");
  }
}
