package io.orchestro.threads.adapters.persistence.sql;

import static io.orchestro.threads.adapters.persistence.StoredJson.micros;

import io.orchestro.threads.adapters.persistence.JsonText;
import io.orchestro.threads.application.port.out.WorkerTaskStore;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.WorkerTask;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Worker tasks in the database ({@code worker_task}), in plain SQL. A poll locks the oldest queued
 * tasks with {@code FOR UPDATE SKIP LOCKED}, so pollers on several nodes never get the same task;
 * every other change is a compare-and-swap on the row's version.
 */
public final class JdbcWorkerTaskStore implements WorkerTaskStore {

  private static final String COLUMNS =
      "task_id, thread_id, step_name, attempt, queue, heartbeat_timeout_millis, payload, state,"
          + " worker_id, lease_until, result, progress, created_at, version";

  /** A compare-and-swap on the row's version. */
  private static final String UPDATE =
      "update worker_task set state = ?, worker_id = ?, lease_until = ?, result = ?,"
          + " progress = ?, version = ? where task_id = ? and version = ?";

  private final JdbcClient sql;
  private final JdbcTemplate leases;
  private final TransactionTemplate writing;

  public JdbcWorkerTaskStore(DataSource dataSource) {
    this.sql = JdbcClient.create(dataSource);
    this.leases = new JdbcTemplate(dataSource);
    this.writing = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
  }

  @Override
  public WorkerTask offer(WorkerTask task) {
    try {
      sql.sql(
              "insert into worker_task ("
                  + COLUMNS
                  + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
          .params(
              task.taskId(),
              task.threadId().value(),
              task.step(),
              task.attempt(),
              task.queue(),
              task.heartbeatTimeout().toMillis(),
              JsonText.compactString(payload(task)),
              task.state().wireName(),
              task.workerId(),
              SqlTimes.parameter(micros(task.leaseUntil())),
              result(task),
              task.progress(),
              SqlTimes.parameter(micros(task.createdAt())),
              task.version())
          .update();
      return find(task.taskId()).orElseThrow();
    } catch (DuplicateKeyException offeredBefore) {
      return findAttempt(task.threadId(), task.step(), task.attempt()).orElseThrow();
    }
  }

  @Override
  public Optional<WorkerTask> find(UUID taskId) {
    return sql.sql("select " + COLUMNS + " from worker_task where task_id = ?")
        .param(taskId)
        .query(JdbcWorkerTaskStore::read)
        .optional();
  }

  /** Written by {@link JdbcWorkflowThreadStore}'s deletes, in their transaction. */
  @Override
  public Optional<CancelledTask> findCancelled(UUID taskId) {
    return sql.sql("select owner, lease_until from cancelled_worker_task where task_id = ?")
        .param(taskId)
        .query(
            (row, number) ->
                new CancelledTask(
                    taskId, row.getString("owner"), SqlTimes.instant(row, "lease_until")))
        .optional();
  }

  @Override
  public Optional<WorkerTask> findAttempt(ThreadId threadId, String step, int attempt) {
    return sql.sql(
            "select "
                + COLUMNS
                + " from worker_task where thread_id = ? and step_name = ? and attempt = ?")
        .params(threadId.value(), step, attempt)
        .query(JdbcWorkerTaskStore::read)
        .optional();
  }

  @Override
  public List<WorkerTask> ofThread(ThreadId threadId) {
    return sql.sql(
            "select " + COLUMNS + " from worker_task where thread_id = ? order by created_at")
        .param(threadId.value())
        .query(JdbcWorkerTaskStore::read)
        .list();
  }

  @Override
  public List<WorkerTask> lease(
      Collection<String> queues, String workerId, Instant now, int max, String owner) {
    // an owner's tasks through its threads' rows, by their primary key
    String ofOwner =
        owner == null
            ? ""
            : " and thread_id in (select thread_id from workflow_thread where owner = :owner)";
    return writing.execute(
        status -> {
          var query =
              sql.sql(
                      "select "
                          + COLUMNS
                          + " from worker_task where state = 'queued' and queue in (:queues)"
                          + ofOwner
                          + " order by created_at limit :max for update skip locked")
                  .param("queues", List.copyOf(queues))
                  .param("max", max);
          if (owner != null) {
            query = query.param("owner", owner);
          }
          List<WorkerTask> queued = query.query(JdbcWorkerTaskStore::read).list();
          // the lease as read back: its time cut to what the column keeps
          List<WorkerTask> leased =
              queued.stream().map(task -> task.leasedTo(workerId, micros(now))).toList();
          // one round trip for the poll's tasks; the rows are locked, so every version matches
          leases.batchUpdate(
              UPDATE, leased.stream().map(JdbcWorkerTaskStore::updateParameters).toList());
          return leased.stream().map(WorkerTask::nextVersion).toList();
        });
  }

  @Override
  public boolean update(WorkerTask changed) {
    return write(changed);
  }

  private boolean write(WorkerTask task) {
    return sql.sql(UPDATE).params(updateParameters(task)).update() == 1;
  }

  private static Object[] updateParameters(WorkerTask task) {
    return new Object[] {
      task.state().wireName(),
      task.workerId(),
      SqlTimes.parameter(micros(task.leaseUntil())),
      result(task),
      task.progress(),
      task.version() + 1,
      task.taskId(),
      task.version()
    };
  }

  private static Map<String, Object> payload(WorkerTask task) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("config", task.config());
    payload.put("input", task.input());
    payload.put("step_outputs", task.stepOutputs());
    return payload;
  }

  private static String result(WorkerTask task) {
    return switch (task.state()) {
      case QUEUED, LEASED -> null;
      case COMPLETED -> JsonText.compactString(Map.of("output", task.output()));
      case FAILED -> {
        Map<String, Object> failure = new LinkedHashMap<>();
        failure.put("error", task.error());
        failure.put("retryable", task.retryable());
        yield JsonText.compactString(failure);
      }
    };
  }

  @SuppressWarnings("unchecked")
  private static WorkerTask read(ResultSet row, int number) throws SQLException {
    Map<String, Object> payload = JsonText.parseObject(row.getString("payload"));
    String resultText = row.getString("result");
    Map<String, Object> result = resultText == null ? Map.of() : JsonText.parseObject(resultText);
    return new WorkerTask(
        row.getObject("task_id", UUID.class),
        row.getString("queue"),
        new ThreadId(row.getObject("thread_id", UUID.class)),
        row.getString("step_name"),
        row.getInt("attempt"),
        Duration.ofMillis(row.getLong("heartbeat_timeout_millis")),
        (Map<String, Object>) payload.get("config"),
        (Map<String, Object>) payload.get("input"),
        (Map<String, Object>) payload.get("step_outputs"),
        WorkerTask.State.fromWireName(row.getString("state")),
        row.getString("worker_id"),
        SqlTimes.instant(row, "lease_until"),
        (Map<String, Object>) result.get("output"),
        (String) result.get("error"),
        Boolean.TRUE.equals(result.get("retryable")),
        row.getString("progress"),
        SqlTimes.instant(row, "created_at"),
        row.getLong("version"));
  }
}
