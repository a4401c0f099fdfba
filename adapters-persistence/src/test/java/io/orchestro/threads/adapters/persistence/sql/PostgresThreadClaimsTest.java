package io.orchestro.threads.adapters.persistence.sql;

import io.orchestro.threads.adapters.persistence.PostgresTestDatabase.OnPostgres;

/**
 * The claims contract on PostgreSQL, where several nodes share one database: claims with {@code FOR
 * UPDATE SKIP LOCKED}, renewals, and the fenced step write.
 */
@OnPostgres
class PostgresThreadClaimsTest extends JdbcThreadClaimsTest {}
