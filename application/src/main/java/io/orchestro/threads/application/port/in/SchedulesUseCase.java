package io.orchestro.threads.application.port.in;

import io.orchestro.threads.domain.Schedule;
import java.time.Instant;
import java.util.List;

/** Cron schedules that create threads: docs/api.md "Scheduling, priority and limits". */
public interface SchedulesUseCase {

  /** The schedule as the client gives it; the server keeps its runs. */
  record PutScheduleCommand(Schedule definition) {}

  /**
   * @param created true when the name was new
   */
  record PutSchedule(Schedule schedule, boolean created) {}

  /**
   * Creates or replaces the schedule; its next run is computed from now.
   *
   * @throws IllegalArgumentException for a cron expression that is not valid
   * @throws UnknownWorkflowTypeException when the workflow type has no definition
   */
  PutSchedule put(PutScheduleCommand command);

  /**
   * @throws ScheduleNotFoundException when there is none of that name
   */
  Schedule get(String name);

  List<Schedule> list();

  /**
   * @throws ScheduleNotFoundException when there is none of that name
   */
  void delete(String name);

  /** The next {@code count} due times of an enabled schedule from now, empty for a disabled one. */
  List<Instant> nextRuns(Schedule schedule, int count);
}
