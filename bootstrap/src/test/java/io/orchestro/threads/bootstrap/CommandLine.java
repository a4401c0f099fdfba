package io.orchestro.threads.bootstrap;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The service's command-line arguments as the tests give them: to the packaged jar ({@link
 * JarProcess}), or to the application started in this JVM, where they take precedence over {@code
 * application.properties} as they do for the jar.
 */
final class CommandLine {

  private CommandLine() {}

  /**
   * The database in H2 files under this directory, configured as the README tells users to (with
   * {@code WRITE_DELAY=0}, so that a killed process loses no commit).
   */
  static String h2Files(Path directory) {
    return "--spring.datasource.url=" + h2Url(directory);
  }

  /** The JDBC URL of {@link #h2Files}, to open the same database from the test. */
  static String h2Url(Path directory) {
    return "jdbc:h2:file:"
        + directory.resolve("orchestro")
        + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
  }

  /** {@code --name=value} for each property: a PostgreSQL test schema's connection, say. */
  static List<String> of(Map<String, ?> properties) {
    List<String> arguments = new ArrayList<>();
    properties.forEach((name, value) -> arguments.add("--" + name + "=" + value));
    return arguments;
  }

  /**
   * Starts the application in this JVM as {@code java -jar} would with these arguments, its web
   * server on a free port ({@link ApiClient#of} talks to it).
   *
   * @param configurations more configuration classes, test beans say
   */
  static ConfigurableApplicationContext startInThisJvm(
      List<String> arguments, Class<?>... configurations) {
    List<String> all = new ArrayList<>(arguments);
    all.add("--server.port=0");
    return new SpringApplicationBuilder(OrchestroThreadsApplication.class)
        .sources(configurations)
        .web(WebApplicationType.SERVLET)
        .run(all.toArray(String[]::new));
  }
}
