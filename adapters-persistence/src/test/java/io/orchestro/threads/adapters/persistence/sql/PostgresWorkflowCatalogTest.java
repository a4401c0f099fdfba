package io.orchestro.threads.adapters.persistence.sql;

import io.orchestro.threads.adapters.persistence.PostgresTestDatabase.OnPostgres;

/** The catalog contract on PostgreSQL. */
@OnPostgres
class PostgresWorkflowCatalogTest extends JdbcWorkflowCatalogTest {}
