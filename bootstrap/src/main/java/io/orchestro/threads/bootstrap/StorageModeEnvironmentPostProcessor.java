package io.orchestro.threads.bootstrap;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Checks {@code orchestro.storage} before anything starts, and in JSON mode keeps Spring Boot from
 * starting a DataSource, Hibernate, the JPA repositories or Flyway: that mode has no database. When
 * a store-copy command is given ({@link StoreCopyCommand}), checks it and turns the web server and
 * the engine off ({@code spring.main.web-application-type=none}, {@code
 * orchestro.engine.enabled=false}): the command runs once and the process exits.
 */
class StorageModeEnvironmentPostProcessor implements EnvironmentPostProcessor {

  private static final String EXCLUDE = "spring.autoconfigure.exclude";
  private static final String DATABASE_AUTO_CONFIGURATION =
      String.join(
          ",",
          "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
          "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration");

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    String mode = environment.getProperty(StorageMode.PROPERTY, StorageMode.DATABASE);
    if (!StorageMode.ALL.contains(mode)) {
      throw new IllegalStateException(
          StorageMode.PROPERTY
              + "="
              + mode
              + " is not a storage mode; use "
              + StorageMode.DATABASE
              + " (H2 or PostgreSQL, the default) or "
              + StorageMode.JSON);
    }
    if (mode.equals(StorageMode.JSON)) {
      String excluded = environment.getProperty(EXCLUDE, "");
      String value =
          excluded.isBlank()
              ? DATABASE_AUTO_CONFIGURATION
              : excluded + "," + DATABASE_AUTO_CONFIGURATION;
      environment
          .getPropertySources()
          .addFirst(new MapPropertySource("orchestro-json-storage", Map.of(EXCLUDE, value)));
    }
    if (StoreCopyCommand.isRequested(environment)) {
      StoreCopyCommand.check(environment);
      environment
          .getPropertySources()
          .addFirst(
              new MapPropertySource(
                  "orchestro-copy-command",
                  Map.of(
                      "spring.main.web-application-type", "none",
                      "orchestro.engine.enabled", "false")));
    }
  }
}
