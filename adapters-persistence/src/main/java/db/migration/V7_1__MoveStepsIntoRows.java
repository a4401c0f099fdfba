package db.migration;

import io.orchestro.threads.adapters.persistence.JsonText;
import io.orchestro.threads.adapters.persistence.StoredJson;
import io.orchestro.threads.adapters.persistence.sql.StepRow;
import io.orchestro.threads.domain.ThreadStep;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Moves every thread's steps from the JSON array of {@code workflow_thread.steps} into rows of
 * {@code thread_step} (made by V7), then drops that column. Java, not SQL, because H2 and
 * PostgreSQL read JSON with different functions, and the stores' own reader ({@link StoredJson})
 * reads the steps exactly as the store read them before. It runs in Flyway's transaction: the rows
 * and the dropped column land together, or the migration is undone whole.
 */
public class V7_1__MoveStepsIntoRows extends BaseJavaMigration {

  /** Threads read per round trip, and about as many step rows sent per batch. */
  private static final int BATCH = 500;

  @Override
  public void migrate(Context context) throws SQLException {
    Connection connection = context.getConnection();
    // Spring's batches on Flyway's connection, left open for Flyway to commit
    JdbcTemplate writing = new JdbcTemplate(new SingleConnectionDataSource(connection, true));
    List<Object[]> rows = new ArrayList<>();
    try (Statement reading = connection.createStatement()) {
      // read in pages rather than all at once (PostgreSQL honours this inside a transaction)
      reading.setFetchSize(BATCH);
      try (ResultSet threads =
          reading.executeQuery("select thread_id, steps from workflow_thread")) {
        while (threads.next()) {
          UUID threadId = threads.getObject(1, UUID.class);
          List<ThreadStep> steps = readSteps(threadId, threads.getString(2));
          for (int index = 0; index < steps.size(); index++) {
            rows.add(StepRow.of(threadId, index, steps.get(index)).insertParameters());
          }
          if (rows.size() >= BATCH) {
            writing.batchUpdate(StepRow.INSERT, rows);
            rows.clear();
          }
        }
      }
    }
    if (!rows.isEmpty()) {
      writing.batchUpdate(StepRow.INSERT, rows);
    }
    writing.execute("alter table workflow_thread drop column steps");
  }

  private static List<ThreadStep> readSteps(UUID threadId, String json) {
    try {
      return StoredJson.steps(JsonText.parseArray(json), StoredJson::threadStep);
    } catch (IllegalArgumentException damaged) {
      // the store only ever wrote well-formed steps: this is a hand edit, and going on would lose
      // the thread's steps
      throw new IllegalStateException(
          "thread " + threadId + ": its steps cannot be read: " + damaged.getMessage(), damaged);
    }
  }
}
