package io.orchestro.threads.bootstrap;

import io.orchestro.threads.adapters.persistence.json.JsonFileStore;
import io.orchestro.threads.adapters.persistence.json.JsonFileWorkflowCatalog;
import io.orchestro.threads.adapters.persistence.json.JsonFileWorkflowThreadStore;
import io.orchestro.threads.application.port.out.ThreadEventLog;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The JSON-file store ({@code orchestro.storage=json}): threads, claims and workflow definitions in
 * readable files under {@code orchestro.storage.json.dir}. No database is started in this mode (see
 * {@link StorageModeEnvironmentPostProcessor}). Single node: the directory is locked.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = StorageMode.PROPERTY, havingValue = StorageMode.JSON)
class JsonStoreConfiguration {

  /** Opens (and locks) the directory; closed, and unlocked, when the application stops. */
  @Bean
  JsonFileStore jsonFileStore(
      @Value("${" + StorageMode.JSON_DIRECTORY + ":" + StorageMode.DEFAULT_JSON_DIRECTORY + "}")
          Path directory) {
    return new JsonFileStore(directory);
  }

  /** One bean for both ports, as in the database store. */
  @Bean
  JsonFileWorkflowThreadStore workflowThreadStore(JsonFileStore store) {
    return store.threads();
  }

  @Bean
  JsonFileWorkflowCatalog workflowCatalog(JsonFileStore store) {
    return store.catalog();
  }

  @Bean
  ThreadEventLog threadEventLog(JsonFileStore store) {
    return store.events();
  }
}
