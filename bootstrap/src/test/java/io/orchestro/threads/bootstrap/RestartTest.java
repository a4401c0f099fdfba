package io.orchestro.threads.bootstrap;

import static io.orchestro.threads.application.testing.WorkflowCommands.step;
import static io.orchestro.threads.application.testing.WorkflowCommands.workflow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orchestro.threads.application.port.in.CreateThreadCommand;
import io.orchestro.threads.application.service.ThreadService;
import io.orchestro.threads.application.service.WorkflowService;
import io.orchestro.threads.application.testing.GateAgent;
import io.orchestro.threads.domain.Caller;
import io.orchestro.threads.domain.StepStatus;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadRequest;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.ThreadStep;
import io.orchestro.threads.domain.WorkflowThread;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/** Stopping the application mid-run and starting it again on the same H2 file. */
class RestartTest {

  @TempDir Path dataDir;

  @Test
  void threadsSurviveARestartAndResumeWithoutLosingOrRepeatingCompletedSteps() {
    List<ThreadId> ids = new ArrayList<>();
    Map<ThreadId, Long> versionsAtTheCrash = new HashMap<>();
    try (ConfigurableApplicationContext first = start()) {
      first
          .getBean(WorkflowService.class)
          .put(
              workflow(
                  "three-steps",
                  step("before", "delay", Map.of("millis", 0)),
                  step("held", "gate", Map.of()),
                  step("after", "delay", Map.of("millis", 0))));
      ThreadService threads = first.getBean(ThreadService.class);
      GateAgent gate = first.getBean(GateAgent.class);
      for (int i = 0; i < 20; i++) {
        ids.add(
            threads
                .create(
                    Caller.LOCAL_ADMIN,
                    new CreateThreadCommand(
                        null, new ThreadRequest("restart " + i, "three-steps", null, null)))
                .thread()
                .id());
      }
      await().until(() -> ids.stream().allMatch(id -> gate.hasStarted(id.toString(), "held")));
      ids.forEach(id -> versionsAtTheCrash.put(id, threads.get(Caller.LOCAL_ADMIN, id).version()));
    }

    try (ConfigurableApplicationContext second = start()) {
      ThreadService threads = second.getBean(ThreadService.class);
      GateAgent gate = second.getBean(GateAgent.class);
      ids.forEach(id -> gate.open(id.toString(), "held"));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  ids.stream()
                      .allMatch(
                          id ->
                              threads.get(Caller.LOCAL_ADMIN, id).status()
                                  == ThreadStatus.COMPLETED));
      JdbcTemplate jdbc = second.getBean(JdbcTemplate.class);
      for (ThreadId id : ids) {
        WorkflowThread thread = threads.get(Caller.LOCAL_ADMIN, id);
        assertThat(thread.steps())
            .extracting(ThreadStep::status)
            .containsOnly(StepStatus.COMPLETED);
        // "before" had completed: it is not run again; "held" was cut short and ran twice
        assertThat(thread.steps()).extracting(ThreadStep::attempts).containsExactly(1, 2, 1);
        assertThat(thread.steps()).extracting(ThreadStep::failures).containsExactly(0, 0, 0);
        // the recovery with held's new start, held's result with after's start, after's result
        assertThat(thread.version() - versionsAtTheCrash.get(id)).isEqualTo(3);
        assertThat(
                jdbc.queryForList(
                    "select step from thread_event where thread_id = ? and type = ?",
                    String.class,
                    id.value(),
                    "thread_recovered"))
            .containsExactly("held");
      }
    }
  }

  private ConfigurableApplicationContext start() {
    return CommandLine.startInThisJvm(
        List.of(CommandLine.h2Files(dataDir), "--orchestro.engine.poll-interval=100ms"),
        EngineTestSupport.Beans.class);
  }
}
