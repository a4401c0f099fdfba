package io.orchestro.threads.application.service;

import io.orchestro.threads.application.port.out.WorkflowThreadStore;
import io.orchestro.threads.domain.ListThreadsQuery;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadPage;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.WorkflowThread;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** A thread store with another writer getting in just before some of its calls. */
final class InterferedStore implements WorkflowThreadStore {

  private final WorkflowThreadStore store;
  Runnable beforeInsert = () -> {};
  Consumer<ThreadId> beforeUpdate = id -> {};
  int updatesToInterfere;

  InterferedStore(WorkflowThreadStore store) {
    this.store = store;
  }

  @Override
  public WorkflowThread insert(WorkflowThread thread) {
    beforeInsert.run();
    return store.insert(thread);
  }

  @Override
  public List<WorkflowThread> insertAll(List<WorkflowThread> threads) {
    beforeInsert.run();
    return store.insertAll(threads);
  }

  @Override
  public WorkflowThread update(WorkflowThread thread) {
    if (updatesToInterfere > 0) {
      updatesToInterfere--;
      beforeUpdate.accept(thread.id());
    }
    return store.update(thread);
  }

  @Override
  public Optional<WorkflowThread> find(ThreadId id) {
    return store.find(id);
  }

  @Override
  public boolean delete(WorkflowThread thread) {
    return store.delete(thread);
  }

  @Override
  public List<ThreadId> finishedBefore(ThreadStatus status, Instant before, int limit) {
    return store.finishedBefore(status, before, limit);
  }

  @Override
  public boolean deleteUnchanged(WorkflowThread thread) {
    return store.deleteUnchanged(thread);
  }

  @Override
  public ThreadPage list(ListThreadsQuery query) {
    return store.list(query);
  }

  @Override
  public List<Cursor> positionsAfter(ListThreadsQuery filter, Cursor after, int limit) {
    return store.positionsAfter(filter, after, limit);
  }

  @Override
  public Map<ThreadStatus, Long> countByStatus() {
    return store.countByStatus();
  }
}
