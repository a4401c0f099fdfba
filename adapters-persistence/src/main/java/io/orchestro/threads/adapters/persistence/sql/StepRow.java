package io.orchestro.threads.adapters.persistence.sql;

import static io.orchestro.threads.adapters.persistence.StoredJson.micros;
import static io.orchestro.threads.adapters.persistence.sql.SqlTimes.instant;

import io.orchestro.threads.adapters.persistence.JsonText;
import io.orchestro.threads.domain.StepStatus;
import io.orchestro.threads.domain.ThreadStep;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.UUID;
import org.springframework.jdbc.core.SqlParameterValue;

/**
 * A row of {@code thread_step}: one step of a thread at its place ({@code step_index}, 0 for the
 * first). The output is JSON text, as the API shows it; times are cut to microseconds.
 *
 * <p>Public only for the migration that moved the steps into these rows ({@code V7_1}).
 */
public record StepRow(
    UUID threadId,
    int index,
    String name,
    String agent,
    String status,
    int attempts,
    int failures,
    Instant startedAt,
    Instant finishedAt,
    String output,
    String error,
    Instant dueAt) {

  /** Every column, in the order of the record's components. */
  static final String COLUMNS =
      "thread_id, step_index, name, agent, status, attempts, failures, started_at, finished_at,"
          + " output, error, due_at";

  public static final String INSERT =
      "insert into thread_step (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  /** Parameters in the order of {@link #UPDATE}: the changing columns, then the key. */
  static final String UPDATE =
      "update thread_step set status = ?, attempts = ?, failures = ?, started_at = ?,"
          + " finished_at = ?, output = ?, error = ?, due_at = ? where thread_id = ? and step_index = ?";

  public static StepRow of(UUID threadId, int index, ThreadStep step) {
    return new StepRow(
        threadId,
        index,
        step.name(),
        step.agent(),
        step.status().wireName(),
        step.attempts(),
        step.failures(),
        micros(step.startedAt()),
        micros(step.finishedAt()),
        step.output() == null ? null : JsonText.compactString(step.output()),
        step.error(),
        micros(step.dueAt()));
  }

  static StepRow read(ResultSet rs, int rowNum) throws SQLException {
    return new StepRow(
        rs.getObject("thread_id", UUID.class),
        rs.getInt("step_index"),
        rs.getString("name"),
        rs.getString("agent"),
        rs.getString("status"),
        rs.getInt("attempts"),
        rs.getInt("failures"),
        instant(rs, "started_at"),
        instant(rs, "finished_at"),
        rs.getString("output"),
        rs.getString("error"),
        instant(rs, "due_at"));
  }

  public Object[] insertParameters() {
    return new Object[] {
      threadId,
      index,
      name,
      agent,
      status,
      attempts,
      failures,
      SqlTimes.parameter(startedAt),
      SqlTimes.parameter(finishedAt),
      text(output),
      text(error),
      SqlTimes.parameter(dueAt)
    };
  }

  Object[] updateParameters() {
    return new Object[] {
      status,
      attempts,
      failures,
      SqlTimes.parameter(startedAt),
      SqlTimes.parameter(finishedAt),
      text(output),
      text(error),
      SqlTimes.parameter(dueAt),
      threadId,
      index
    };
  }

  /** The step as stored: what a reload gives (the output as JSON reads it). */
  ThreadStep toDomain() {
    return new ThreadStep(
        name,
        agent,
        StepStatus.fromWireName(status),
        attempts,
        failures,
        startedAt,
        finishedAt,
        output == null ? null : JsonText.parseObject(output),
        error,
        dueAt);
  }

  private static SqlParameterValue text(String value) {
    return new SqlParameterValue(Types.VARCHAR, value);
  }
}
