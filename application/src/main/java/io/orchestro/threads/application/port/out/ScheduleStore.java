package io.orchestro.threads.application.port.out;

import io.orchestro.threads.domain.Schedule;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where schedules are kept, shared by every node of a store. Firing is claimed like a thread: a
 * node takes a due schedule for a lease, creates the due time's thread, then records the run; a
 * node that dies in between loses the claim when the lease ends, and the next node creates the same
 * thread id again, which the thread store refuses as a duplicate.
 */
public interface ScheduleStore {

  Optional<Schedule> find(String name);

  /** Every schedule, by name. */
  List<Schedule> list();

  /**
   * Stores the schedule as given, its runs included, replacing one of the same name.
   *
   * @return true when it was new
   */
  boolean put(Schedule schedule);

  /**
   * @return false when there was no such schedule
   */
  boolean delete(String name);

  /**
   * Claims up to {@code limit} enabled schedules due at {@code now} (next run at or before it) that
   * no other node holds, for {@code owner} until {@code leaseUntil}, earliest due first.
   */
  List<Schedule> claimDue(String owner, Instant now, Instant leaseUntil, int limit);

  /**
   * Records that the owner created the thread of {@code dueAt} and ends its claim. The next run
   * moves to {@code nextRunAt} only if it is still {@code dueAt}: a schedule changed meanwhile
   * keeps the next run its change gave it.
   */
  void fired(String name, String owner, Instant dueAt, Instant nextRunAt);
}
