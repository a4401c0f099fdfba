package io.orchestro.threads.adapters.persistence.sql;

import io.orchestro.threads.adapters.persistence.PostgresTestDatabase.OnPostgres;

/**
 * The event log tests of {@link JdbcThreadEventLogTest} on a real PostgreSQL, where concurrent
 * transactions commit truly in parallel.
 */
@OnPostgres
class PostgresThreadEventLogTest extends JdbcThreadEventLogTest {

  /**
   * Not a test here (an override without {@code @Test} is not run): PostgreSQL numbers events after
   * commit, which the inherited tests of commits in the opposite order cover.
   */
  @Override
  void onH2AWriteNumbersItsEventsAndTheNextWriteTakesTheNumbersAfterItsCommit() {}
}
