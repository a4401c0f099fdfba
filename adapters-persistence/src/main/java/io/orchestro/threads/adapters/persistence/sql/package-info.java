/**
 * The database store (H2 or PostgreSQL; Flyway owns the schema), in plain SQL through Spring's
 * {@code JdbcClient}: threads, their events, claims, webhooks and workflow definitions. Threads are
 * the engine's hot path, where a step write must be one conditional statement, not a loaded and
 * merged entity; the workflow catalog left JPA too, since Hibernate and Spring Data were a third of
 * the classes loaded at start-up for six statements (docs/benchmarks.md, "Start-up").
 */
package io.orchestro.threads.adapters.persistence.sql;
