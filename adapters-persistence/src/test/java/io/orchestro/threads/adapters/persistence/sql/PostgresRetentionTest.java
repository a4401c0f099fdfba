package io.orchestro.threads.adapters.persistence.sql;

import io.orchestro.threads.adapters.persistence.PostgresTestDatabase.OnPostgres;

/** The retention tests of {@link JdbcRetentionTest} on a real PostgreSQL. */
@OnPostgres
class PostgresRetentionTest extends JdbcRetentionTest {}
