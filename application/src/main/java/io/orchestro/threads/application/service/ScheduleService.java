package io.orchestro.threads.application.service;

import io.orchestro.threads.application.port.in.CreateThreadCommand;
import io.orchestro.threads.application.port.in.CreateThreadUseCase;
import io.orchestro.threads.application.port.in.ScheduleNotFoundException;
import io.orchestro.threads.application.port.in.SchedulesUseCase;
import io.orchestro.threads.application.port.in.ThreadIdConflictException;
import io.orchestro.threads.application.port.in.UnknownWorkflowTypeException;
import io.orchestro.threads.application.port.out.CronCalendar;
import io.orchestro.threads.application.port.out.ScheduleStore;
import io.orchestro.threads.domain.Caller;
import io.orchestro.threads.domain.Schedule;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The schedule use cases, and firing: each due time of an enabled schedule creates one thread,
 * whose id derives from the schedule and the due time ({@link Schedule#threadIdFor}).
 */
public final class ScheduleService implements SchedulesUseCase {

  private static final Logger LOG = System.getLogger(ScheduleService.class.getName());

  /** How many due schedules one round claims at most. */
  private static final int FIRE_BATCH = 16;

  private final ScheduleStore store;
  private final CronCalendar calendar;
  private final WorkflowService workflows;
  private final CreateThreadUseCase threads;
  private final Clock clock;

  public ScheduleService(
      ScheduleStore store,
      CronCalendar calendar,
      WorkflowService workflows,
      CreateThreadUseCase threads,
      Clock clock) {
    this.store = store;
    this.calendar = calendar;
    this.workflows = workflows;
    this.threads = threads;
    this.clock = clock;
  }

  @Override
  public PutSchedule put(PutScheduleCommand command) {
    Schedule definition = command.definition();
    Instant now = clock.instant();
    // both throw for what the client got wrong: a cron that is not one, an unknown type
    Instant next = calendar.next(definition.cron(), definition.zone(), now);
    workflows.definitionFor(definition.requestFor(now));
    Instant lastRunAt = store.find(definition.name()).map(Schedule::lastRunAt).orElse(null);
    Schedule stored = definition.withRuns(definition.enabled() ? next : null, lastRunAt);
    boolean created = store.put(stored);
    return new PutSchedule(stored, created);
  }

  @Override
  public Schedule get(String name) {
    return store.find(name).orElseThrow(() -> new ScheduleNotFoundException(name));
  }

  @Override
  public List<Schedule> list() {
    return store.list();
  }

  @Override
  public void delete(String name) {
    if (!store.delete(name)) {
      throw new ScheduleNotFoundException(name);
    }
  }

  @Override
  public List<Instant> nextRuns(Schedule schedule, int count) {
    List<Instant> runs = new ArrayList<>();
    Instant at = schedule.nextRunAt();
    while (schedule.enabled() && at != null && runs.size() < count) {
      runs.add(at);
      at = calendar.next(schedule.cron(), schedule.zone(), at);
    }
    return runs;
  }

  /**
   * Creates the thread of every schedule due now that no other node is firing, and moves each one
   * to its next due time after now: times missed while every node was down give one thread, the
   * first missed one's.
   *
   * @param owner this node's id
   * @param lease how long a node may take between claiming a schedule and recording its run
   * @return how many schedules fired
   */
  public int fireDue(String owner, Duration lease) {
    Instant now = clock.instant();
    List<Schedule> due = store.claimDue(owner, now, now.plus(lease), FIRE_BATCH);
    for (Schedule schedule : due) {
      Instant dueAt = schedule.nextRunAt();
      createThread(schedule, dueAt);
      store.fired(
          schedule.name(), owner, dueAt, calendar.next(schedule.cron(), schedule.zone(), now));
    }
    return due.size();
  }

  private void createThread(Schedule schedule, Instant dueAt) {
    try {
      // a schedule's threads are the service's own (docs/api.md): an admin sees them
      threads.create(
          Caller.LOCAL_ADMIN,
          new CreateThreadCommand(schedule.threadIdFor(dueAt), schedule.requestFor(dueAt)));
    } catch (ThreadIdConflictException changedSince) {
      // the thread of this time exists, made before the schedule was changed: it ran already
    } catch (UnknownWorkflowTypeException gone) {
      LOG.log(
          Level.WARNING,
          "schedule {0}: no thread for {1}: {2}",
          schedule.name(),
          dueAt,
          gone.getMessage());
    }
  }
}
