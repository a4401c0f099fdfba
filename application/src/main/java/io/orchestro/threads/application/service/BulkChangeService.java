package io.orchestro.threads.application.service;

import io.orchestro.threads.application.port.in.BulkChangeCommand;
import io.orchestro.threads.application.port.in.BulkChangeUseCase;
import io.orchestro.threads.application.port.in.ThreadNotFoundException;
import io.orchestro.threads.application.port.out.ConcurrentThreadUpdateException;
import io.orchestro.threads.application.port.out.WorkflowThreadStore;
import io.orchestro.threads.application.port.out.WorkflowThreadStore.Cursor;
import io.orchestro.threads.domain.Caller;
import io.orchestro.threads.domain.IllegalTransitionException;
import io.orchestro.threads.domain.ListThreadsQuery;
import io.orchestro.threads.domain.ThreadAction;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.WorkflowThread;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Bulk changes by filter. The matching threads are read a page at a time, oldest first, each page
 * after the last thread of the one before, and each thread is changed through the single-thread use
 * case: its own short write with its own event, exactly as if a person had made the call. So a
 * million matching threads never hold one long transaction, threads changed already never shift the
 * next page, and the engine's writes interleave with the bulk's instead of waiting for it.
 *
 * <p>Threads created after the call began are left alone, so the walk has an end.
 */
public final class BulkChangeService implements BulkChangeUseCase {

  private final WorkflowThreadStore store;
  private final ThreadService threads;
  private final Clock clock;
  private final int pageSize;

  /**
   * @param pageSize how many threads one read of the store returns
   */
  public BulkChangeService(
      WorkflowThreadStore store, ThreadService threads, Clock clock, int pageSize) {
    if (pageSize < 1) {
      throw new IllegalArgumentException("the bulk page size must be 1 or more");
    }
    this.store = store;
    this.threads = threads;
    this.clock = clock;
    this.pageSize = pageSize;
  }

  @Override
  public BulkResult change(Caller caller, BulkChangeCommand command) {
    Instant began = clock.instant();
    Instant createdBefore =
        command.createdBefore() == null || command.createdBefore().isAfter(began)
            ? began
            : command.createdBefore();
    ListThreadsQuery filter =
        new ListThreadsQuery(
            command.statuses(),
            command.workflowType(),
            null,
            null,
            createdBefore,
            ListThreadsQuery.SortBy.CREATED_AT,
            true,
            0,
            1,
            caller.ownerFilter());
    Tally tally = new Tally();
    if (!command.threadIds().isEmpty()) {
      for (ThreadId id : new LinkedHashSet<>(command.threadIds())) {
        store
            .find(id)
            .filter(thread -> filter.matches(thread.snapshot()))
            .ifPresent(thread -> tally.count(apply(caller, command.action(), thread)));
      }
      return tally.result();
    }
    Cursor after = null;
    while (true) {
      List<Cursor> page = store.positionsAfter(filter, after, pageSize);
      for (Cursor position : page) {
        // read again: the page is a list of ids, and the thread may have moved on since
        store
            .find(position.id())
            .ifPresentOrElse(
                thread -> tally.count(apply(caller, command.action(), thread)), tally::countGone);
      }
      if (page.size() < pageSize) {
        return tally.result();
      }
      after = page.get(page.size() - 1);
    }
  }

  /**
   * Makes the call on one thread, when the lifecycle table says it would change it.
   *
   * @return true when it changed the thread
   */
  private boolean apply(Caller caller, ThreadAction action, WorkflowThread thread) {
    if (!thread.status().allowedActions().contains(action)) {
      return false;
    }
    ThreadId id = thread.id();
    try {
      switch (action) {
        case PAUSE -> threads.pause(caller, id);
        case RESUME -> threads.resume(caller, id);
        case RETRY -> threads.retry(caller, id);
        case CANCEL -> threads.cancel(caller, id);
        case DELETE -> threads.delete(caller, id);
      }
      return true;
    } catch (IllegalTransitionException
        | ThreadNotFoundException
        | ConcurrentThreadUpdateException movedOn) {
      // the thread changed between the read and the call: the table now refuses it, or it is gone
      return false;
    }
  }

  private static final class Tally {
    private long matched;
    private long changed;

    void count(boolean wasChanged) {
      matched++;
      if (wasChanged) {
        changed++;
      }
    }

    /** A thread deleted between its page's read and its own: matched, and skipped. */
    void countGone() {
      matched++;
    }

    BulkResult result() {
      return new BulkResult(matched, changed, matched - changed);
    }
  }
}
