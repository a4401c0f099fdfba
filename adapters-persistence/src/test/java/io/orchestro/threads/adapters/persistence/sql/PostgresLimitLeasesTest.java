package io.orchestro.threads.adapters.persistence.sql;

import io.orchestro.threads.adapters.persistence.PostgresTestDatabase.OnPostgres;

/** The limit contract on PostgreSQL, where several nodes share the places. */
@OnPostgres
class PostgresLimitLeasesTest extends JdbcLimitLeasesTest {}
