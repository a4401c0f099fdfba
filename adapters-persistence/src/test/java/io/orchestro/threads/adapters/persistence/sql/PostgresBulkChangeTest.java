package io.orchestro.threads.adapters.persistence.sql;

import io.orchestro.threads.adapters.persistence.PostgresTestDatabase.OnPostgres;

/** The bulk change over 10,000 threads of {@link JdbcBulkChangeTest} on a real PostgreSQL. */
@OnPostgres
class PostgresBulkChangeTest extends JdbcBulkChangeTest {}
