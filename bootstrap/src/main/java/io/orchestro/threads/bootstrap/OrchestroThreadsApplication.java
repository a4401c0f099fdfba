package io.orchestro.threads.bootstrap;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Starts the service: the REST API, the engine and the configured store. Only this package and the
 * REST adapter's controllers are scanned; everything else is created by explicit {@code @Bean}
 * methods, so the wiring can be read in one place.
 */
@SpringBootApplication(
    scanBasePackages = {"io.orchestro.threads.bootstrap", "io.orchestro.threads.adapters.rest"})
@ConfigurationPropertiesScan
public class OrchestroThreadsApplication {

  public static void main(String[] args) {
    SpringApplication.run(OrchestroThreadsApplication.class, args);
  }
}
