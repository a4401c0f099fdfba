package io.orchestro.threads.adapters.persistence.sql;

import io.orchestro.threads.adapters.persistence.PostgresTestDatabase.OnPostgres;

/**
 * The event log tests of {@link JdbcThreadEventLogTest} on a real PostgreSQL, where concurrent
 * transactions commit truly in parallel.
 */
@OnPostgres
class PostgresThreadEventLogTest extends JdbcThreadEventLogTest {}
