package io.orchestro.threads.bootstrap;

import io.orchestro.threads.adapters.persistence.json.JsonStoreDirectory;
import io.orchestro.threads.application.port.out.WorkerTaskStore;
import io.orchestro.threads.application.port.out.WorkflowCatalog;
import io.orchestro.threads.application.port.out.WorkflowThreadStore;
import io.orchestro.threads.application.service.StoreCopy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The one-shot commands that move a store between modes, with the configured store on one side and
 * a JSON directory on the other:
 *
 * <ul>
 *   <li>{@code --orchestro.copy.from-json=DIR} copies everything in that JSON directory into the
 *       configured store (H2, PostgreSQL, or another JSON directory);
 *   <li>{@code --orchestro.copy.to-json=DIR} copies everything in the configured store into that
 *       (new or empty) JSON directory, which {@code --orchestro.storage=json
 *       --orchestro.storage.json.dir=DIR} can then serve.
 * </ul>
 *
 * <p>What is copied and what is not is {@link StoreCopy}'s to say. In command mode neither the web
 * server nor the engine starts (see {@link StorageModeEnvironmentPostProcessor}), the built-in
 * workflows are not installed (see {@link CoreConfiguration}), the copy runs once the store is
 * open, one summary line is printed, and {@link OrchestroThreadsApplication#main} exits with 0. A
 * failed copy stops the start-up with its reason, and the process exits with 1.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(StoreCopyCommand.Requested.class)
class StoreCopyCommand {

  static final String FROM_JSON = "orchestro.copy.from-json";
  static final String TO_JSON = "orchestro.copy.to-json";

  /** True when the command line (or any property source) asks for a copy. */
  static boolean isRequested(Environment environment) {
    return environment.containsProperty(FROM_JSON) || environment.containsProperty(TO_JSON);
  }

  /**
   * Refuses a command that cannot be right, before anything starts: both directions at once, no
   * directory, or the configured JSON directory itself.
   */
  static void check(Environment environment) {
    if (environment.containsProperty(FROM_JSON) && environment.containsProperty(TO_JSON)) {
      throw new IllegalStateException(
          "give " + FROM_JSON + " or " + TO_JSON + ", not both: a copy goes one way");
    }
    String name = environment.containsProperty(FROM_JSON) ? FROM_JSON : TO_JSON;
    String directory = environment.getProperty(name, "");
    if (directory.isBlank()) {
      throw new IllegalStateException(name + " needs a directory: --" + name + "=DIR");
    }
    if (StorageMode.JSON.equals(environment.getProperty(StorageMode.PROPERTY))) {
      Path configured =
          Path.of(
              environment.getProperty(
                  StorageMode.JSON_DIRECTORY, StorageMode.DEFAULT_JSON_DIRECTORY));
      if (sameDirectory(configured, Path.of(directory))) {
        throw new IllegalStateException(
            name
                + "="
                + directory
                + " is the configured JSON directory ("
                + StorageMode.JSON_DIRECTORY
                + "): a directory cannot be copied into itself");
      }
    }
  }

  @Bean
  ApplicationRunner storeCopy(
      WorkflowThreadStore threads,
      WorkflowCatalog catalog,
      WorkerTaskStore tasks,
      Environment environment) {
    return arguments -> {
      boolean fromJson = environment.containsProperty(FROM_JSON);
      Path directory = Path.of(environment.getRequiredProperty(fromJson ? FROM_JSON : TO_JSON));
      String configuredStore =
          StorageMode.JSON.equals(environment.getProperty(StorageMode.PROPERTY))
              ? "the JSON directory "
                  + environment.getProperty(
                      StorageMode.JSON_DIRECTORY, StorageMode.DEFAULT_JSON_DIRECTORY)
              : "the database";
      String json = "the JSON directory " + directory;
      String from = fromJson ? json : configuredStore;
      String to = fromJson ? configuredStore : json;
      if (fromJson && !Files.isDirectory(directory)) {
        throw new IllegalStateException(
            "cannot copy from " + json + ": there is no such directory");
      }
      StoreCopy.Stores configured = new StoreCopy.Stores(threads, catalog, tasks);
      StoreCopy.Report report;
      try (JsonStoreDirectory other = new JsonStoreDirectory(directory)) {
        StoreCopy.Stores files =
            new StoreCopy.Stores(other.threads(), other.catalog(), other.tasks());
        report =
            fromJson
                ? new StoreCopy().copy(files, configured)
                : new StoreCopy().copy(configured, files);
      }
      System.out.println(
          "Copied "
              + report.definitionsCopied()
              + " workflow definition version(s) and "
              + report.threadsCopied()
              + " thread(s) with "
              + report.tasksCopied()
              + " worker task(s) from "
              + from
              + " into "
              + to
              + "; skipped "
              + report.threadsSkipped()
              + " thread(s) that were there already.");
    };
  }

  private static boolean sameDirectory(Path one, Path other) {
    if (one.toAbsolutePath().normalize().equals(other.toAbsolutePath().normalize())) {
      return true;
    }
    try {
      return Files.exists(one) && Files.exists(other) && Files.isSameFile(one, other);
    } catch (IOException unreadable) {
      // opening it would fail with a clearer message
      return false;
    }
  }

  /** Either command is given. */
  static final class Requested extends AnyNestedCondition {

    Requested() {
      super(ConfigurationPhase.REGISTER_BEAN);
    }

    @ConditionalOnProperty(FROM_JSON)
    static final class FromJson {}

    @ConditionalOnProperty(TO_JSON)
    static final class ToJson {}
  }
}
