package io.orchestro.threads.adapters.persistence.sql;

import io.orchestro.threads.adapters.persistence.JsonText;
import io.orchestro.threads.adapters.persistence.StoredJson;
import io.orchestro.threads.domain.ListThreadsQuery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * Flyway V9.1: gives the threads stored before V9 their {@code search_text}, which new threads get
 * when they are stored. In Java because the prompt is inside the request's JSON. Reads the rows
 * with a cursor and writes them in batches, so that a large table is never held in memory. Its
 * version is given here rather than by Flyway's class-name convention.
 */
public final class ThreadSearchTextMigration implements JavaMigration {

  private static final int BATCH = 500;

  @Override
  public MigrationVersion getVersion() {
    return MigrationVersion.fromVersion("9.1");
  }

  @Override
  public String getDescription() {
    return "thread search text of threads stored before it";
  }

  @Override
  public Integer getChecksum() {
    return null;
  }

  @Override
  public boolean canExecuteInTransaction() {
    return true;
  }

  @Override
  public void migrate(Context context) throws SQLException {
    fill(context.getConnection());
  }

  /**
   * Writes the search text of every thread that has none.
   *
   * @return how many threads got theirs
   */
  static int fill(Connection connection) throws SQLException {
    int filled = 0;
    try (PreparedStatement read =
            connection.prepareStatement(
                "select thread_id, title, request from workflow_thread where search_text is null");
        PreparedStatement write =
            connection.prepareStatement(
                "update workflow_thread set search_text = ? where thread_id = ?")) {
      read.setFetchSize(BATCH);
      try (ResultSet rows = read.executeQuery()) {
        while (rows.next()) {
          var request = StoredJson.request(JsonText.parseObject(rows.getString("request")));
          write.setString(1, ListThreadsQuery.searchTextOf(rows.getString("title"), request));
          write.setObject(2, rows.getObject("thread_id"));
          write.addBatch();
          if (++filled % BATCH == 0) {
            write.executeBatch();
          }
        }
      }
      write.executeBatch();
    }
    return filled;
  }
}
