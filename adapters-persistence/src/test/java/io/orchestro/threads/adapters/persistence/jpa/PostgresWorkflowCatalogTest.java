package io.orchestro.threads.adapters.persistence.jpa;

import io.orchestro.threads.adapters.persistence.PostgresTestDatabase.OnPostgres;

/** The catalog contract on PostgreSQL. */
@OnPostgres
class PostgresWorkflowCatalogTest extends JpaWorkflowCatalogTest {}
