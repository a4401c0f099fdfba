package io.orchestro.threads.adapters.persistence.sql;

import io.orchestro.threads.adapters.persistence.PostgresTestDatabase.OnPostgres;

/**
 * The worker task store contract on PostgreSQL, where several nodes lease tasks and answer their
 * workers, the tasks cancelled with a deleted thread included.
 */
@OnPostgres
class PostgresWorkerTaskStoreTest extends JdbcWorkerTaskStoreTest {}
