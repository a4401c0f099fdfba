package io.orchestro.threads.adapters.persistence.jpa;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;

/**
 * The smallest Spring Boot configuration for the adapter's tests. It enables what bootstrap enables
 * for this adapter: the entity scan and the repositories of this package.
 */
@SpringBootConfiguration
@EntityScan(basePackageClasses = WorkflowThreadEntity.class)
@EnableJpaRepositories(basePackageClasses = WorkflowThreadRepository.class)
class JpaTestConfiguration {}
