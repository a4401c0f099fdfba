package io.orchestro.threads.adapters.persistence.json;

import static io.orchestro.threads.adapters.persistence.StoredJson.micros;

import io.orchestro.threads.adapters.persistence.JsonText;
import io.orchestro.threads.adapters.persistence.StoredTaskJson;
import io.orchestro.threads.application.port.out.WorkerTaskStore;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.WorkerTask;
import io.orchestro.threads.domain.WorkflowThread;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Worker tasks in JSON files, one per task ({@code tasks/<id>.json}), written atomically under the
 * store's one writer lock; reads come from memory, loaded at start-up. A thread's tasks go when it
 * is deleted, but for those that a worker holds: their files stay, marked with the deleted thread's
 * owner ({@value #DELETED_THREAD_OWNER}), until a later delete finds their lease run out. Tasks
 * whose thread is gone without that (a crash between the two writes) are dropped at start-up.
 */
public final class JsonFileWorkerTaskStore implements WorkerTaskStore {

  /** The field that marks a task file as a task cancelled with its deleted thread. */
  static final String DELETED_THREAD_OWNER = "deleted_thread_owner";

  private final Path directory;
  private final SerialWrites writes;
  private final Map<UUID, WorkerTask> byId = new ConcurrentHashMap<>();
  private final Map<String, UUID> byAttempt = new ConcurrentHashMap<>();
  private final Map<UUID, CancelledTask> cancelled = new ConcurrentHashMap<>();

  /** The owner of a stored thread, null when it is gone: for polls of one owner's tasks. */
  private final Function<ThreadId, String> ownerOf;

  JsonFileWorkerTaskStore(
      Path directory,
      SerialWrites writes,
      List<byte[]> files,
      Set<ThreadId> threads,
      Function<ThreadId, String> ownerOf) {
    this.directory = directory;
    this.ownerOf = ownerOf;
    this.writes = writes;
    for (byte[] file : files) {
      Map<String, Object> json = JsonText.parseObject(file);
      WorkerTask task = StoredTaskJson.task(json);
      if (json.get(DELETED_THREAD_OWNER) instanceof String owner) {
        cancelled.put(task.taskId(), new CancelledTask(task.taskId(), owner, task.leaseUntil()));
      } else if (threads.contains(task.threadId())) {
        index(task);
      } else {
        AtomicFiles.delete(fileOf(task.taskId()));
      }
    }
  }

  static UUID idOf(byte[] file) {
    return StoredTaskJson.task(JsonText.parseObject(file)).taskId();
  }

  @Override
  public WorkerTask offer(WorkerTask task) {
    return writes.run(
        () -> {
          Optional<WorkerTask> before = findAttempt(task.threadId(), task.step(), task.attempt());
          if (before.isPresent()) {
            return before.get();
          }
          write(task);
          return task;
        });
  }

  @Override
  public Optional<WorkerTask> find(UUID taskId) {
    return Optional.ofNullable(byId.get(taskId));
  }

  @Override
  public Optional<CancelledTask> findCancelled(UUID taskId) {
    return Optional.ofNullable(cancelled.get(taskId));
  }

  /**
   * The thread is gone (its delete was written): its tasks go, those that a worker holds as of the
   * deletion's time kept as marked files; the marks whose lease has run out by then go too.
   */
  void threadDeleted(WorkflowThread thread) {
    Instant at = thread.lastUpdated();
    writes.run(
        () -> {
          for (CancelledTask mark : List.copyOf(cancelled.values())) {
            if (!mark.leaseUntil().isAfter(at)) {
              AtomicFiles.delete(fileOf(mark.taskId()));
              cancelled.remove(mark.taskId());
            }
          }
          for (WorkerTask task : ofThread(thread.id())) {
            if (task.leasedAt(at)) {
              Map<String, Object> marked = new LinkedHashMap<>(StoredTaskJson.json(task));
              marked.put(DELETED_THREAD_OWNER, thread.owner());
              AtomicFiles.replace(fileOf(task.taskId()), JsonText.pretty(marked));
              cancelled.put(
                  task.taskId(),
                  new CancelledTask(task.taskId(), thread.owner(), task.leaseUntil()));
            } else {
              AtomicFiles.delete(fileOf(task.taskId()));
            }
            byId.remove(task.taskId());
            byAttempt.remove(task.idempotencyKey());
          }
          return null;
        });
  }

  @Override
  public Optional<WorkerTask> findAttempt(ThreadId threadId, String step, int attempt) {
    return Optional.ofNullable(byAttempt.get(threadId + ":" + step + ":" + attempt)).map(byId::get);
  }

  @Override
  public List<WorkerTask> ofThread(ThreadId threadId) {
    return byId.values().stream()
        .filter(task -> task.threadId().equals(threadId))
        .sorted(Comparator.comparing(WorkerTask::createdAt))
        .toList();
  }

  @Override
  public List<WorkerTask> lease(
      Collection<String> queues, String workerId, Instant now, int max, String owner) {
    return writes.run(
        () -> {
          List<WorkerTask> leased = new ArrayList<>();
          byId.values().stream()
              .filter(
                  task -> task.state() == WorkerTask.State.QUEUED && queues.contains(task.queue()))
              .filter(task -> owner == null || owner.equals(ownerOf.apply(task.threadId())))
              .sorted(Comparator.comparing(WorkerTask::createdAt))
              .limit(max)
              .forEach(
                  task -> leased.add(write(task.leasedTo(workerId, micros(now)).nextVersion())));
          return leased;
        });
  }

  @Override
  public boolean update(WorkerTask changed) {
    return writes.run(
        () -> {
          WorkerTask stored = byId.get(changed.taskId());
          if (stored == null || stored.version() != changed.version()) {
            return false;
          }
          write(changed.nextVersion());
          return true;
        });
  }

  /** Writes the file, then the index: a failed write leaves both as they were. */
  private WorkerTask write(WorkerTask task) {
    AtomicFiles.replace(fileOf(task.taskId()), JsonText.pretty(StoredTaskJson.json(task)));
    index(task);
    return task;
  }

  private void index(WorkerTask task) {
    byId.put(task.taskId(), task);
    byAttempt.put(task.idempotencyKey(), task.taskId());
  }

  private Path fileOf(UUID id) {
    return directory.resolve(id + ".json");
  }
}
