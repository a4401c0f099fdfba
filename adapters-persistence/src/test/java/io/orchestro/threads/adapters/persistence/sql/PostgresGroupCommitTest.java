package io.orchestro.threads.adapters.persistence.sql;

import io.orchestro.threads.adapters.persistence.PostgresTestDatabase.OnPostgres;

/** The group commit of step writes on PostgreSQL. */
@OnPostgres
class PostgresGroupCommitTest extends GroupCommitTest {}
