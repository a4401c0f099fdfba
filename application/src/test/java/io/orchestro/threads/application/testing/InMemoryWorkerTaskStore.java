package io.orchestro.threads.application.testing;

import io.orchestro.threads.application.port.out.WorkerTaskStore;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.WorkerTask;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Worker tasks in memory. */
public final class InMemoryWorkerTaskStore implements WorkerTaskStore {

  private final Map<UUID, WorkerTask> byId = new LinkedHashMap<>();

  @Override
  public synchronized WorkerTask offer(WorkerTask task) {
    return findAttempt(task.threadId(), task.step(), task.attempt())
        .orElseGet(
            () -> {
              byId.put(task.taskId(), task);
              return task;
            });
  }

  @Override
  public synchronized Optional<WorkerTask> find(UUID taskId) {
    return Optional.ofNullable(byId.get(taskId));
  }

  /** None: these tasks stay when their thread is deleted, since this store knows no threads. */
  @Override
  public Optional<CancelledTask> findCancelled(UUID taskId) {
    return Optional.empty();
  }

  @Override
  public synchronized Optional<WorkerTask> findAttempt(
      ThreadId threadId, String step, int attempt) {
    return byId.values().stream()
        .filter(task -> task.idempotencyKey().equals(threadId + ":" + step + ":" + attempt))
        .findFirst();
  }

  @Override
  public synchronized List<WorkerTask> ofThread(ThreadId threadId) {
    return byId.values().stream()
        .filter(task -> task.threadId().equals(threadId))
        .sorted(Comparator.comparing(WorkerTask::createdAt))
        .toList();
  }

  @Override
  public synchronized List<WorkerTask> lease(
      Collection<String> queues, String workerId, Instant now, int max, String owner) {
    if (owner != null) {
      // it does not know the threads: the stores of the adapters filter by owner
      throw new UnsupportedOperationException("tasks in memory are not kept by owner");
    }
    List<WorkerTask> leased =
        byId.values().stream()
            .filter(task -> task.state() == WorkerTask.State.QUEUED)
            .filter(task -> queues.contains(task.queue()))
            .sorted(Comparator.comparing(WorkerTask::createdAt))
            .limit(max)
            .map(task -> task.leasedTo(workerId, now).nextVersion())
            .toList();
    leased.forEach(task -> byId.put(task.taskId(), task));
    return leased;
  }

  @Override
  public synchronized boolean update(WorkerTask changed) {
    WorkerTask stored = byId.get(changed.taskId());
    if (stored == null || stored.version() != changed.version()) {
      return false;
    }
    byId.put(changed.taskId(), changed.nextVersion());
    return true;
  }
}
