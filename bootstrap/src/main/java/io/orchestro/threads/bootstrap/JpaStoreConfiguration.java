package io.orchestro.threads.bootstrap;

import io.orchestro.threads.adapters.persistence.jpa.JpaThreadEventLog;
import io.orchestro.threads.adapters.persistence.jpa.JpaWorkflowCatalog;
import io.orchestro.threads.adapters.persistence.jpa.JpaWorkflowThreadStore;
import io.orchestro.threads.adapters.persistence.jpa.ThreadEventRepository;
import io.orchestro.threads.adapters.persistence.jpa.WorkflowDefinitionRepository;
import io.orchestro.threads.adapters.persistence.jpa.WorkflowThreadRepository;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The database store (H2 by default, PostgreSQL by {@code spring.datasource.url}): threads, claims
 * and workflow definitions through JPA, the schema through Flyway.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(
    name = StorageMode.PROPERTY,
    havingValue = StorageMode.DATABASE,
    matchIfMissing = true)
@EntityScan(basePackageClasses = JpaWorkflowThreadStore.class)
@EnableJpaRepositories(basePackageClasses = JpaWorkflowThreadStore.class)
class JpaStoreConfiguration {

  /** Numbers committed events in the background from start-up until the application stops. */
  @Bean(initMethod = "start", destroyMethod = "close")
  JpaThreadEventLog threadEventLog(
      DataSource dataSource,
      PlatformTransactionManager transactionManager,
      EventsProperties properties) {
    return new JpaThreadEventLog(dataSource, transactionManager, properties.pollInterval());
  }

  /** One bean for both ports: a fenced step write checks the claim in the same transaction. */
  @Bean
  JpaWorkflowThreadStore workflowThreadStore(
      WorkflowThreadRepository threads,
      ThreadEventRepository events,
      JpaThreadEventLog eventLog,
      PlatformTransactionManager transactionManager) {
    return new JpaWorkflowThreadStore(threads, events, eventLog, transactionManager);
  }

  @Bean
  JpaWorkflowCatalog workflowCatalog(
      WorkflowDefinitionRepository definitions, PlatformTransactionManager transactionManager) {
    return new JpaWorkflowCatalog(definitions, transactionManager);
  }
}
