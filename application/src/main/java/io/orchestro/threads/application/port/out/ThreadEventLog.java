package io.orchestro.threads.application.port.out;

import io.orchestro.threads.domain.EventFilter;
import io.orchestro.threads.domain.LoggedEvent;
import io.orchestro.threads.domain.ThreadEvent;
import java.time.Instant;
import java.util.List;

/**
 * Reading the durable log of every thread's events. Appending is not part of this port, but for
 * {@code step_progress}: each {@link WorkflowThreadStore} write appends the events the thread
 * recorded in the same transaction as the change itself, so the log and the threads never disagree;
 * progress changes no thread, and is appended on its own ({@link #appendProgress}), as is a webhook
 * being disabled ({@link #appendOnItsOwn}).
 *
 * <p>The one promise readers build on: events are numbered by a sequence that only grows, and once
 * event N can be read, so can every event before it. A reader that remembers the last number it saw
 * and asks for the events after it therefore never misses one, however writers interleave.
 */
public interface ThreadEventLog {

  /**
   * The readable events numbered above {@code after} that match the filter, oldest first.
   *
   * @param limit at most this many (1 or more)
   */
  List<LoggedEvent> read(long after, EventFilter filter, int limit);

  /**
   * Appends a {@code step_progress} event, numbered like any other, in a write of its own. Progress
   * need not be kept for ever: a log may drop the earlier progress events of the same step when it
   * appends a new one (the SQL log does; a reader that missed them sees the newest).
   */
  void appendProgress(ThreadEvent progress);

  /**
   * Appends an event that changes no thread, but {@code step_progress}, in a write of its own and
   * numbered like any other: a {@code webhook_disabled} event.
   */
  void appendOnItsOwn(ThreadEvent event);

  /**
   * The number up to which the oldest events were pruned (0 while none was): a reader that resumes
   * after a lower number would miss events, and must start over from the current state instead.
   */
  long prunedUpTo();

  /**
   * Prunes a batch of the oldest events, all recorded before {@code before}: always the start of
   * the log, so that what stays is every event after {@link #prunedUpTo}.
   *
   * @param limit at most this many events, where the log prunes event by event (the JSON log prunes
   *     one whole segment file at a time)
   * @return how many were pruned; 0 when no event older than {@code before} is left to prune
   */
  int pruneBefore(Instant before, int limit);

  /** The number of the newest readable event, 0 while the log is empty. */
  long lastSeq();

  /**
   * Registers something to run each time events written by this process have become readable: the
   * event broadcaster's wake-up. It runs on the log's own thread and must return quickly. Events
   * written by other processes (other nodes on one database) raise no call: readers that want them
   * poll {@link #read}.
   */
  void onAppended(Runnable listener);
}
