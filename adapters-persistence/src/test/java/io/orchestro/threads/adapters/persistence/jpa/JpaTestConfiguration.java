package io.orchestro.threads.adapters.persistence.jpa;

import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.context.annotation.Bean;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The smallest Spring Boot configuration for the adapter's tests. It enables what bootstrap enables
 * for this adapter: the entity scan and the repositories of this package, and the event log (not
 * started: tests that need its numbering thread start it).
 */
@SpringBootConfiguration
@EntityScan(basePackageClasses = WorkflowThreadEntity.class)
@EnableJpaRepositories(basePackageClasses = WorkflowThreadRepository.class)
class JpaTestConfiguration {

  @Bean(destroyMethod = "close")
  JpaThreadEventLog threadEventLog(
      DataSource dataSource, PlatformTransactionManager transactionManager) {
    return new JpaThreadEventLog(dataSource, transactionManager, Duration.ofMillis(200));
  }
}
