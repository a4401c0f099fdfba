package io.orchestro.threads.adapters.persistence.sql;

import io.orchestro.threads.adapters.persistence.PostgresTestDatabase.OnPostgres;

/** The schedule store contract on PostgreSQL, where several nodes claim due schedules. */
@OnPostgres
class PostgresScheduleStoreTest extends JdbcScheduleStoreTest {}
