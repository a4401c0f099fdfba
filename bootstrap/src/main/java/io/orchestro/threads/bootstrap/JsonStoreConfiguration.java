package io.orchestro.threads.bootstrap;

import io.orchestro.threads.adapters.persistence.json.JsonFileScheduleStore;
import io.orchestro.threads.adapters.persistence.json.JsonFileWebhookStore;
import io.orchestro.threads.adapters.persistence.json.JsonFileWorkerTaskStore;
import io.orchestro.threads.adapters.persistence.json.JsonFileWorkflowCatalog;
import io.orchestro.threads.adapters.persistence.json.JsonFileWorkflowThreadStore;
import io.orchestro.threads.adapters.persistence.json.JsonStoreDirectory;
import io.orchestro.threads.application.engine.InProcessLimitLeases;
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
  JsonStoreDirectory jsonFileStore(
      @Value("${" + StorageMode.JSON_DIRECTORY + ":" + StorageMode.DEFAULT_JSON_DIRECTORY + "}")
          Path directory) {
    return new JsonStoreDirectory(directory);
  }

  /** One bean for both ports, as in the database store. */
  @Bean
  JsonFileWorkflowThreadStore workflowThreadStore(JsonStoreDirectory store) {
    return store.threads();
  }

  @Bean
  JsonFileWorkflowCatalog workflowCatalog(JsonStoreDirectory store) {
    return store.catalog();
  }

  /**
   * Readiness: the directory can be written ({@code store}, as the database check in that mode).
   */
  @Bean
  JsonStoreHealthIndicator storeHealthIndicator(JsonStoreDirectory store) {
    return new JsonStoreHealthIndicator(store);
  }

  @Bean
  JsonFileWebhookStore webhookStore(JsonStoreDirectory store) {
    return store.webhooks();
  }

  @Bean
  JsonFileWorkerTaskStore workerTaskStore(JsonStoreDirectory store) {
    return store.tasks();
  }

  @Bean
  JsonFileScheduleStore scheduleStore(JsonStoreDirectory store) {
    return store.schedules();
  }

  /** Places under limits, in this process: a JSON directory has one node only. */
  @Bean
  InProcessLimitLeases limitLeases() {
    return new InProcessLimitLeases();
  }

  @Bean
  ThreadEventLog threadEventLog(JsonStoreDirectory store) {
    return store.events();
  }
}
