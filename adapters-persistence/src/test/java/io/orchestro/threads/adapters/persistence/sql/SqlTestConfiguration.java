package io.orchestro.threads.adapters.persistence.sql;

import javax.sql.DataSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.context.annotation.Bean;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The smallest Spring Boot configuration for the adapter's tests. It enables what bootstrap enables
 * for this adapter: the entity scan and the repositories of this package, and the event log
 * (without a numbering thread: tests number with {@code numberCommitted()}).
 */
@SpringBootConfiguration
@EntityScan(basePackageClasses = WorkflowDefinitionEntity.class)
@EnableJpaRepositories(basePackageClasses = WorkflowDefinitionRepository.class)
class SqlTestConfiguration {

  @Bean
  JdbcThreadEventLog threadEventLog(DataSource dataSource) {
    return new JdbcThreadEventLog(dataSource);
  }

  /** A migration in Java, which Flyway runs in its place among the SQL ones. */
  @Bean
  ThreadSearchTextMigration threadSearchTextMigration() {
    return new ThreadSearchTextMigration();
  }

  /** A thread store on emptied tables (threads and events) of the test database. */
  static JdbcWorkflowThreadStore emptyStore(DataSource dataSource, JdbcThreadEventLog eventLog) {
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    jdbc.update("delete from workflow_thread");
    jdbc.update("delete from thread_event");
    return new JdbcWorkflowThreadStore(dataSource, eventLog);
  }
}
