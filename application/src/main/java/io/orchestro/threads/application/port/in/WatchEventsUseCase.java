package io.orchestro.threads.application.port.in;

import io.orchestro.threads.domain.Caller;
import io.orchestro.threads.domain.EventFilter;
import io.orchestro.threads.domain.LoggedEvent;
import io.orchestro.threads.domain.ThreadId;
import java.util.List;

/**
 * Reading threads' events: a thread's history, and watching events as they happen. A caller gets
 * only the events of the threads it sees; another owner's thread is not found.
 */
public interface WatchEventsUseCase {

  /**
   * A thread's events numbered above {@code after}, oldest first, at most {@code limit}.
   *
   * @throws ThreadNotFoundException when no such thread is stored
   * @throws EventsPrunedException when {@code after} is above 0 but below what the log keeps
   */
  List<LoggedEvent> threadHistory(Caller caller, ThreadId id, long after, int limit);

  /**
   * Watches one thread: its events numbered above {@code after} (0 for its whole history), then its
   * new events as they are committed.
   *
   * @throws ThreadNotFoundException when no such thread is stored
   * @throws EventsPrunedException when {@code after} is above 0 but below what the log keeps
   */
  EventSubscription watchThread(Caller caller, ThreadId id, long after, int bufferCapacity);

  /**
   * Watches the events that match the filter: those numbered above {@code after} first, or, when
   * {@code after} is null, only the events committed from now on.
   *
   * @throws EventsPrunedException when {@code after} is below what the log keeps
   */
  EventSubscription watch(Caller caller, EventFilter filter, Long after, int bufferCapacity);
}
