package io.orchestro.threads.adapters.persistence.sql;

import static io.orchestro.threads.adapters.persistence.StoredJson.micros;
import static io.orchestro.threads.adapters.persistence.StoredJson.requestJson;
import static io.orchestro.threads.adapters.persistence.sql.SqlTimes.instant;

import io.orchestro.threads.adapters.persistence.JsonText;
import io.orchestro.threads.adapters.persistence.StoredJson;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadSnapshot;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.ThreadStep;
import io.orchestro.threads.domain.WorkflowThread;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A row of {@code workflow_thread} as its columns hold it; the thread's steps are rows of their own
 * ({@link StepRow}). The request is JSON text in the shape of {@link StoredJson}, with the API's
 * field names, so that the text in the database reads like the API and like the JSON store's files.
 * Times, in columns and JSON alike, are cut to microseconds ({@link StoredJson#micros}).
 */
record ThreadRow(
    UUID threadId,
    String owner,
    String title,
    String workflowType,
    int workflowVersion,
    String status,
    String request,
    String errorMessage,
    Instant createdAt,
    Instant startTime,
    Instant lastUpdated,
    Instant finishedAt,
    long version) {

  /** Every column but the claim's, in the order of the record's components. */
  static final String COLUMNS =
      "thread_id, owner, title, workflow_type, workflow_version, status, request, error_message,"
          + " created_at, start_time, last_updated, finished_at, version";

  static ThreadRow of(ThreadSnapshot snapshot, long version) {
    return new ThreadRow(
        snapshot.id().value(),
        snapshot.owner(),
        snapshot.title(),
        snapshot.workflowType(),
        snapshot.workflowVersion(),
        snapshot.status().wireName(),
        JsonText.compactString(requestJson(snapshot.request())),
        snapshot.errorMessage(),
        micros(snapshot.createdAt()),
        micros(snapshot.startTime()),
        micros(snapshot.lastUpdated()),
        micros(snapshot.finishedAt()),
        version);
  }

  /** Reads the {@link #COLUMNS} of the result set's current row. */
  static ThreadRow read(ResultSet rs, int rowNum) throws SQLException {
    return new ThreadRow(
        rs.getObject("thread_id", UUID.class),
        rs.getString("owner"),
        rs.getString("title"),
        rs.getString("workflow_type"),
        rs.getInt("workflow_version"),
        rs.getString("status"),
        rs.getString("request"),
        rs.getString("error_message"),
        instant(rs, "created_at"),
        instant(rs, "start_time"),
        instant(rs, "last_updated"),
        instant(rs, "finished_at"),
        rs.getLong("version"));
  }

  /**
   * The thread as stored, with its steps as stored: what a reload would give, which is what a store
   * hands back after a write too (times in microseconds).
   */
  WorkflowThread toDomain(List<ThreadStep> threadSteps) {
    return WorkflowThread.restore(
        new ThreadSnapshot(
            new ThreadId(threadId),
            owner,
            title,
            workflowType,
            workflowVersion,
            StoredJson.request(JsonText.parseObject(request)),
            ThreadStatus.fromWireName(status),
            threadSteps,
            errorMessage,
            createdAt,
            startTime,
            lastUpdated,
            finishedAt,
            version));
  }
}
