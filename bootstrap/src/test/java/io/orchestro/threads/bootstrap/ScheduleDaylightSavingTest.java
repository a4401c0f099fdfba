package io.orchestro.threads.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestro.threads.application.agent.Agents;
import io.orchestro.threads.application.port.in.SchedulesUseCase.PutScheduleCommand;
import io.orchestro.threads.application.port.out.EngineSignal;
import io.orchestro.threads.application.service.BuiltInWorkflows;
import io.orchestro.threads.application.service.ScheduleService;
import io.orchestro.threads.application.service.ThreadService;
import io.orchestro.threads.application.service.WorkflowService;
import io.orchestro.threads.application.testing.InMemoryScheduleStore;
import io.orchestro.threads.application.testing.InMemoryThreadStore;
import io.orchestro.threads.application.testing.InMemoryWorkflowCatalog;
import io.orchestro.threads.application.testing.SettableClock;
import io.orchestro.threads.application.testing.StandInAgents;
import io.orchestro.threads.domain.Caller;
import io.orchestro.threads.domain.ListThreadsQuery;
import io.orchestro.threads.domain.Schedule;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.WorkflowThread;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Cron schedules across both daylight-saving changes of Europe/Paris in 2027 (spring: 28 March,
 * 02:00 becomes 03:00; autumn: 31 October, 03:00 becomes 02:00), with the real cron calendar and a
 * settable clock that the test moves a minute at a time, firing at every step as the nodes' loop
 * does.
 */
class ScheduleDaylightSavingTest {

  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  private static final Duration LEASE = Duration.ofSeconds(15);

  private final SpringCronCalendar calendar = new SpringCronCalendar();
  private final SettableClock clock = SettableClock.standingStill();
  private final WorkflowService workflows =
      new WorkflowService(new InMemoryWorkflowCatalog(), new Agents(StandInAgents.all()), clock);
  private final ThreadService threads =
      new ThreadService(new InMemoryThreadStore(), workflows, clock, EngineSignal.NONE);
  private final ScheduleService schedules =
      new ScheduleService(new InMemoryScheduleStore(), calendar, workflows, threads, clock);

  ScheduleDaylightSavingTest() {
    workflows.installBuiltIns(BuiltInWorkflows.all());
  }

  @Test
  void inSpringADailyTimeTheClocksSkipRunsOnceWhenTheyJump() {
    moveTo("2027-03-27T12:00:00Z");
    Schedule daily = put("daily", "0 30 2 * * *");
    Schedule hourly = put("hourly", "0 0 * * * *");

    runUntil("2027-03-29T12:00:00Z");

    assertThat(dueTimesOf(daily, "2027-03-27T12:00:00Z", "2027-03-29T12:00:00Z"))
        .containsExactly(
            // 28 March: 02:30 does not exist; it runs at the jump, 02:00 +01:00 = 03:00 +02:00
            at("2027-03-28T01:00:00Z"), at("2027-03-29T00:30:00Z")) // 02:30 +02:00
        .hasSameSizeAs(createdBy(daily));
    // hourly through the night: 02:00 +01:00 is the jump itself, and 03:00 +02:00 the same instant
    assertThat(dueTimesOf(hourly, "2027-03-27T22:30:00Z", "2027-03-28T02:30:00Z"))
        .containsExactly(
            at("2027-03-27T23:00:00Z"), // 00:00 +01:00
            at("2027-03-28T00:00:00Z"), // 01:00 +01:00
            at("2027-03-28T01:00:00Z"), // 03:00 +02:00, the jump
            at("2027-03-28T02:00:00Z")); // 04:00 +02:00
  }

  @Test
  void inAutumnADailyTimeTheClocksRepeatRunsOnceAtItsFirstOccurrence() {
    moveTo("2027-10-30T12:00:00Z");
    Schedule daily = put("daily", "0 30 2 * * *");
    Schedule hourly = put("hourly", "0 0 * * * *");

    runUntil("2027-11-01T12:00:00Z");

    assertThat(dueTimesOf(daily, "2027-10-30T12:00:00Z", "2027-11-01T12:00:00Z"))
        .containsExactly(
            at("2027-10-31T00:30:00Z"), // 02:30 +02:00, the first 02:30 of the night
            at("2027-11-01T01:30:00Z")) // 02:30 +01:00 the next night
        .hasSameSizeAs(createdBy(daily));
    // hourly through the night: 02:00 comes twice and runs once, an hour then passes without a run
    assertThat(dueTimesOf(hourly, "2027-10-30T21:30:00Z", "2027-10-31T02:30:00Z"))
        .containsExactly(
            at("2027-10-30T22:00:00Z"), // 00:00 +02:00
            at("2027-10-30T23:00:00Z"), // 01:00 +02:00
            at("2027-10-31T00:00:00Z"), // 02:00 +02:00; not 02:00 +01:00, an hour later
            at("2027-10-31T02:00:00Z")); // 03:00 +01:00
  }

  @Test
  void aCronThatIsNotOneIsRefusedWithAnExplanation() {
    assertThatThrownBy(() -> calendar.next("0 0 25 * * *", PARIS, Instant.EPOCH))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("six fields");
    assertThatThrownBy(() -> calendar.next("every day", PARIS, Instant.EPOCH))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private Schedule put(String name, String cron) {
    return schedules
        .put(
            new PutScheduleCommand(
                new Schedule(name, cron, PARIS, "general", name, Map.of(), true, null, null)))
        .schedule();
  }

  /** Moves the clock a minute at a time, firing due schedules at each step. */
  private void runUntil(String end) {
    while (clock.instant().isBefore(at(end))) {
      clock.advance(Duration.ofMinutes(1));
      schedules.fireDue("node-a", LEASE);
    }
  }

  /** The due times whose thread exists, among the calendar's from start to end. */
  private List<Instant> dueTimesOf(Schedule schedule, String start, String end) {
    Set<ThreadId> created = Set.copyOf(createdBy(schedule));
    return candidates(schedule, at(start), at(end)).stream()
        .filter(time -> created.contains(schedule.threadIdFor(time)))
        .toList();
  }

  /** Every whole minute from start to end: a due time is one of them in these tests. */
  private static List<Instant> candidates(Schedule schedule, Instant start, Instant end) {
    return java.util.stream.Stream.iterate(
            start, time -> time.isBefore(end), time -> time.plusSeconds(60))
        .toList();
  }

  private List<ThreadId> createdBy(Schedule schedule) {
    return threads
        .list(Caller.LOCAL_ADMIN, new ListThreadsQuery(Set.of(), null, 0, 500))
        .items()
        .stream()
        .filter(thread -> thread.title().startsWith("Schedule " + schedule.name() + " "))
        .map(WorkflowThread::id)
        .toList();
  }

  private void moveTo(String time) {
    clock.advance(Duration.between(clock.instant(), at(time)));
  }

  private static Instant at(String time) {
    return Instant.parse(time);
  }
}
