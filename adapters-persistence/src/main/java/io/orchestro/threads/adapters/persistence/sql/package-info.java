/**
 * The database store (H2 or PostgreSQL; Flyway owns the schema).
 *
 * <p>Threads, their events, claims and webhooks are plain SQL through Spring's {@code JdbcClient}:
 * they are the engine's hot path, and a step write must be one conditional statement, not a loaded
 * and merged entity. JPA serves one part only, the workflow catalog ({@link
 * io.orchestro.threads.adapters.persistence.sql.JpaWorkflowCatalog}): definitions are written
 * rarely and read by type and version, off the hot path.
 */
package io.orchestro.threads.adapters.persistence.sql;
