package io.orchestro.threads.application.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestro.threads.application.agent.Agents;
import io.orchestro.threads.application.port.in.CreateThreadCommand;
import io.orchestro.threads.application.port.in.ScheduleNotFoundException;
import io.orchestro.threads.application.port.in.SchedulesUseCase.PutSchedule;
import io.orchestro.threads.application.port.in.SchedulesUseCase.PutScheduleCommand;
import io.orchestro.threads.application.port.in.UnknownWorkflowTypeException;
import io.orchestro.threads.application.port.out.CronCalendar;
import io.orchestro.threads.application.port.out.EngineSignal;
import io.orchestro.threads.application.testing.InMemoryScheduleStore;
import io.orchestro.threads.application.testing.InMemoryThreadStore;
import io.orchestro.threads.application.testing.InMemoryWorkflowCatalog;
import io.orchestro.threads.application.testing.SettableClock;
import io.orchestro.threads.application.testing.StandInAgents;
import io.orchestro.threads.domain.Caller;
import io.orchestro.threads.domain.ListThreadsQuery;
import io.orchestro.threads.domain.Schedule;
import io.orchestro.threads.domain.WorkflowThread;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Schedules on stores in memory, with a clock that moves only when the test moves it and a calendar
 * that knows one expression, every minute: what is tested here is firing, not cron (the real
 * calendar's tests are bootstrap's).
 */
class ScheduleServiceTest {

  private static final String EVERY_MINUTE = "0 * * * * *";
  private static final Duration LEASE = Duration.ofSeconds(15);

  private static final CronCalendar MINUTES =
      (cron, zone, after) -> {
        if (!cron.equals(EVERY_MINUTE)) {
          throw new IllegalArgumentException("not a cron this calendar knows: " + cron);
        }
        return after.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
      };

  private final SettableClock clock = SettableClock.standingStill();
  private final InMemoryThreadStore threadStore = new InMemoryThreadStore();
  private final InMemoryScheduleStore scheduleStore = new InMemoryScheduleStore();
  private final WorkflowService workflows =
      new WorkflowService(new InMemoryWorkflowCatalog(), new Agents(StandInAgents.all()), clock);
  private final ThreadService threads =
      new ThreadService(threadStore, workflows, clock, EngineSignal.NONE);
  private final ScheduleService schedules =
      new ScheduleService(scheduleStore, MINUTES, workflows, threads, clock);

  @BeforeEach
  void builtInWorkflows() {
    workflows.installBuiltIns(BuiltInWorkflows.all());
  }

  @Test
  void aScheduleIsDueAtItsNextTimeFromNowAndShowsTheTimesAfter() {
    Instant now = clock.instant();

    Schedule stored = put("report", true).schedule();

    Instant next = now.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
    assertThat(stored.nextRunAt()).isEqualTo(next);
    assertThat(schedules.nextRuns(stored, 3))
        .containsExactly(next, next.plusSeconds(60), next.plusSeconds(120));
    assertThat(schedules.get("report")).isEqualTo(stored);
    assertThat(put("report", true).created()).isFalse();
  }

  @Test
  void eachDueTimeCreatesOneThreadWhoseIdComesFromTheScheduleAndTheTime() {
    Schedule schedule = put("report", true).schedule();
    Instant due = schedule.nextRunAt();

    assertThat(schedules.fireDue("node-a", LEASE)).isZero();
    clock.advance(Duration.between(clock.instant(), due));
    assertThat(schedules.fireDue("node-a", LEASE)).isEqualTo(1);
    assertThat(schedules.fireDue("node-b", LEASE)).isZero();

    WorkflowThread thread = threads.get(Caller.LOCAL_ADMIN, schedule.threadIdFor(due));
    assertThat(thread.input()).containsEntry("prompt", "write the report");
    assertThat(thread.workflowType()).isEqualTo("general");
    assertThat(allThreads()).hasSize(1);
    Schedule after = schedules.get("report");
    assertThat(after.lastRunAt()).isEqualTo(due);
    assertThat(after.nextRunAt()).isEqualTo(due.plusSeconds(60));
  }

  @Test
  void timesMissedWhileNoNodeRanCreateOneThreadAndTheScheduleGoesOnFromNow() {
    Schedule schedule = put("report", true).schedule();
    Instant firstMissed = schedule.nextRunAt();

    clock.advance(Duration.ofMinutes(10));
    schedules.fireDue("node-a", LEASE);
    schedules.fireDue("node-a", LEASE);

    assertThat(allThreads())
        .extracting(WorkflowThread::id)
        .containsExactly(schedule.threadIdFor(firstMissed));
    assertThat(schedules.get("report").nextRunAt())
        .isEqualTo(clock.instant().truncatedTo(ChronoUnit.MINUTES).plusSeconds(60));
  }

  @Test
  void aNodeThatDiesAfterCreatingTheThreadLeavesTheTimeToAnotherThatCreatesNoSecondOne() {
    Schedule schedule = put("report", true).schedule();
    Instant due = schedule.nextRunAt();
    clock.advance(Duration.between(clock.instant(), due));
    // node A claims and creates the thread, then dies before it records the run
    assertThat(scheduleStore.claimDue("node-a", due, due.plus(LEASE), 1)).hasSize(1);
    threads.create(
        Caller.LOCAL_ADMIN,
        new CreateThreadCommand(schedule.threadIdFor(due), schedule.requestFor(due)));

    assertThat(schedules.fireDue("node-b", LEASE)).isZero();
    clock.advance(LEASE);
    assertThat(schedules.fireDue("node-b", LEASE)).isEqualTo(1);

    assertThat(allThreads())
        .extracting(WorkflowThread::id)
        .containsExactly(schedule.threadIdFor(due));
    assertThat(schedules.get("report").lastRunAt()).isEqualTo(due);
  }

  @Test
  void aDisabledScheduleCreatesNothingUntilItIsEnabledAgain() {
    Schedule disabled = put("report", false).schedule();
    assertThat(disabled.nextRunAt()).isNull();
    assertThat(schedules.nextRuns(disabled, 3)).isEmpty();

    clock.advance(Duration.ofMinutes(5));
    schedules.fireDue("node-a", LEASE);
    assertThat(allThreads()).isEmpty();

    Schedule enabled = put("report", true).schedule();
    clock.advance(Duration.between(clock.instant(), enabled.nextRunAt()));
    schedules.fireDue("node-a", LEASE);
    assertThat(allThreads()).hasSize(1);
  }

  @Test
  void aScheduleThatCouldNeverCreateItsThreadIsRefused() {
    assertThatThrownBy(() -> put("bad", "no cron", "general"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> put("bad", EVERY_MINUTE, "no-such-type"))
        .isInstanceOf(UnknownWorkflowTypeException.class);
    assertThat(schedules.list()).isEmpty();
  }

  @Test
  void deleteRemovesTheScheduleAndKeepsItsThreads() {
    Schedule schedule = put("report", true).schedule();
    clock.advance(Duration.between(clock.instant(), schedule.nextRunAt()));
    schedules.fireDue("node-a", LEASE);

    schedules.delete("report");

    assertThat(schedules.list()).isEmpty();
    assertThat(allThreads()).hasSize(1);
    assertThatThrownBy(() -> schedules.delete("report"))
        .isInstanceOf(ScheduleNotFoundException.class);
    assertThatThrownBy(() -> schedules.get("report")).isInstanceOf(ScheduleNotFoundException.class);
  }

  private PutSchedule put(String name, boolean enabled) {
    return schedules.put(
        new PutScheduleCommand(
            new Schedule(
                name,
                EVERY_MINUTE,
                ZoneOffset.UTC,
                "general",
                "write the report",
                Map.of(),
                enabled,
                null,
                null)));
  }

  private void put(String name, String cron, String type) {
    schedules.put(
        new PutScheduleCommand(
            new Schedule(name, cron, ZoneOffset.UTC, type, "x", Map.of(), true, null, null)));
  }

  private List<WorkflowThread> allThreads() {
    return threads.list(Caller.LOCAL_ADMIN, new ListThreadsQuery(Set.of(), null, 0, 500)).items();
  }
}
