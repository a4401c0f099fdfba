package io.orchestro.threads.adapters.persistence.sql;

import java.sql.Timestamp;
import java.time.Instant;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Checks that the database takes a write now, by rewriting the one row of {@code store_probe}: a
 * database may answer reads while it refuses writes (closed, its disk full, opened read-only).
 */
public final class JdbcStoreProbe {

  /** A database that takes longer than this to write one row is not ready either. */
  private static final int TIMEOUT_SECONDS = 5;

  private final JdbcTemplate jdbc;

  public JdbcStoreProbe(DataSource dataSource) {
    this.jdbc = new JdbcTemplate(dataSource);
    this.jdbc.setQueryTimeout(TIMEOUT_SECONDS);
  }

  /**
   * Writes the probe row.
   *
   * @throws org.springframework.dao.DataAccessException when the database refuses or fails
   */
  public void write(Instant now) {
    int rows =
        jdbc.update("UPDATE store_probe SET written_at = ? WHERE id = 1", Timestamp.from(now));
    if (rows != 1) {
      throw new IllegalStateException("the probe row of store_probe is missing");
    }
  }
}
