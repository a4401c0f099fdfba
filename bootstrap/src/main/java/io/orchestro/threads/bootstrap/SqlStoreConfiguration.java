package io.orchestro.threads.bootstrap;

import io.orchestro.threads.adapters.persistence.sql.JdbcLimitLeases;
import io.orchestro.threads.adapters.persistence.sql.JdbcScheduleStore;
import io.orchestro.threads.adapters.persistence.sql.JdbcStoreProbe;
import io.orchestro.threads.adapters.persistence.sql.JdbcThreadEventLog;
import io.orchestro.threads.adapters.persistence.sql.JdbcWebhookStore;
import io.orchestro.threads.adapters.persistence.sql.JdbcWorkerTaskStore;
import io.orchestro.threads.adapters.persistence.sql.JdbcWorkflowCatalog;
import io.orchestro.threads.adapters.persistence.sql.JdbcWorkflowThreadStore;
import io.orchestro.threads.adapters.persistence.sql.PostgresTaskOffers;
import io.orchestro.threads.adapters.persistence.sql.ThreadSearchTextMigration;
import io.orchestro.threads.application.engine.WakeableLoop;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The database store (H2 by default, PostgreSQL by {@code spring.datasource.url}): threads, claims,
 * events, webhooks and workflow definitions in plain SQL, the schema through Flyway.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(
    name = StorageMode.PROPERTY,
    havingValue = StorageMode.DATABASE,
    matchIfMissing = true)
class SqlStoreConfiguration {

  // The stores read their tables from the start (the event log its sequence): each bean marked
  // @DependsOnDatabaseInitialization is made after Flyway's migration. (With JPA this came about
  // by chance, through the entity manager that waited for Flyway.)

  @DependsOnDatabaseInitialization
  @Bean
  JdbcThreadEventLog threadEventLog(DataSource dataSource) {
    return new JdbcThreadEventLog(dataSource);
  }

  /** A migration in Java, which Flyway runs in its place among the SQL ones. */
  @Bean
  ThreadSearchTextMigration threadSearchTextMigration() {
    return new ThreadSearchTextMigration();
  }

  /**
   * Numbers committed events in the background from start-up until the application stops: woken
   * right after each commit of this node that inserted events, and every {@code
   * orchestro.events.numbering-interval} as the safety net (see {@link JdbcThreadEventLog}).
   */
  @Bean(initMethod = "start", destroyMethod = "close")
  WakeableLoop eventNumbering(JdbcThreadEventLog eventLog, EventsProperties properties) {
    WakeableLoop loop =
        new WakeableLoop(
            "orchestro-event-numbering",
            properties.numberingInterval(),
            eventLog::numberCommittedEvents);
    eventLog.onCommitted(loop::wake);
    return loop;
  }

  /**
   * One bean for both ports: a fenced step write checks the claim in the same transaction. The
   * engine's step writes are written by {@code orchestro.engine.step-writers} threads, each taking
   * the step writes waiting at that moment into one transaction (group commit).
   */
  @DependsOnDatabaseInitialization
  @Bean
  JdbcWorkflowThreadStore workflowThreadStore(
      DataSource dataSource,
      JdbcThreadEventLog eventLog,
      @Value("${orchestro.engine.step-writers:" + JdbcWorkflowThreadStore.DEFAULT_WRITERS + "}")
          int stepWriters) {
    return new JdbcWorkflowThreadStore(dataSource, eventLog, stepWriters);
  }

  @DependsOnDatabaseInitialization
  @Bean
  JdbcWebhookStore webhookStore(DataSource dataSource) {
    return new JdbcWebhookStore(dataSource);
  }

  @Bean
  JdbcWorkerTaskStore workerTaskStore(DataSource dataSource) {
    return new JdbcWorkerTaskStore(dataSource);
  }

  /**
   * On PostgreSQL, which several nodes may share, a task offered on one node wakes the long polls
   * waiting on every node at once (NOTIFY and LISTEN), instead of at their next look in the store.
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnExpression("'${spring.datasource.url:}'.startsWith('jdbc:postgresql:')")
  PostgresTaskOffers taskOffers(DataSource dataSource) {
    return new PostgresTaskOffers(dataSource);
  }

  @Bean
  JdbcScheduleStore scheduleStore(DataSource dataSource) {
    return new JdbcScheduleStore(dataSource);
  }

  /** Places under limits, in the database: every node sharing it keeps the same limits. */
  @Bean
  JdbcLimitLeases limitLeases(DataSource dataSource) {
    return new JdbcLimitLeases(dataSource);
  }

  /** Readiness: the database takes a write (as {@code store} in both modes). */
  @Bean
  SqlStoreHealthIndicator storeHealthIndicator(
      DataSource dataSource, Clock clock, @Value("${spring.datasource.url:}") String url) {
    return new SqlStoreHealthIndicator(new JdbcStoreProbe(dataSource), clock, url);
  }

  @DependsOnDatabaseInitialization
  @Bean
  JdbcWorkflowCatalog workflowCatalog(DataSource dataSource) {
    return new JdbcWorkflowCatalog(dataSource);
  }
}
