package io.orchestro.threads.adapters.persistence.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestro.threads.adapters.persistence.PostgresTestDatabase.OnPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** The thread store contract, and the database store's own tests, on PostgreSQL. */
@OnPostgres
class PostgresWorkflowThreadStoreTest extends JdbcWorkflowThreadStoreTest {

  @Autowired private DataSource dataSource;

  @Test
  void runsOnPostgresqlInASchemaOfItsOwn() throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      assertThat(connection.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
      assertThat(connection.getSchema()).startsWith("orchestro_run_");
    }
  }

  /** The test server lets the migration create pg_trgm, so the text search has its index. */
  @Test
  void theTextSearchHasItsTrigramIndex() {
    String definition =
        new JdbcTemplate(dataSource)
            .queryForObject(
                "select indexdef from pg_indexes where indexname = 'workflow_thread_search'"
                    + " and schemaname = current_schema()",
                String.class);
    assertThat(definition).contains("gin", "gin_trgm_ops", "search_text");
  }
}
