package io.orchestro.threads.bootstrap;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the service: the REST API, the engine and the configured store; or, given a store-copy
 * command ({@link StoreCopyCommand}), runs that copy and exits. Only this package and (through
 * {@link RestAdapterConfiguration}, when there is a web server) the REST adapter's controllers are
 * scanned; everything else is created by explicit {@code @Bean} methods, so the wiring can be read
 * in one place.
 */
@SpringBootApplication(scanBasePackages = "io.orchestro.threads.bootstrap")
@ConfigurationPropertiesScan
public class OrchestroThreadsApplication {

  public static void main(String[] args) {
    ConfigurableApplicationContext context =
        SpringApplication.run(OrchestroThreadsApplication.class, args);
    if (StoreCopyCommand.isRequested(context.getEnvironment())) {
      // the copy ran while the application started (a failed one stopped it with an exception)
      System.exit(SpringApplication.exit(context));
    }
  }
}
