package io.orchestro.threads.bootstrap;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A worker holding the task of a thread deleted before the service restarted is still told to stop,
 * and its result refused, by the new run (docs/api.md "worker"): the store keeps the mark, not the
 * memory of the run that leased the task. On an H2 file and on JSON files.
 */
class DeletedThreadTaskRestartTest {

  /** Longer than any restart here takes: the lease must still run when the worker calls again. */
  private static final int HEARTBEAT_TIMEOUT_MILLIS = 600_000;

  @TempDir Path dataDir;

  @Test
  void onAnH2FileTheWorkerIsToldToStopAfterARestart() {
    checkAcrossARestart(List.of(CommandLine.h2Files(dataDir)), "deleted-before-restart-h2");
  }

  @Test
  void onJsonFilesTheWorkerIsToldToStopAfterARestart() {
    checkAcrossARestart(
        List.of("--orchestro.storage=json", "--orchestro.storage.json.dir=" + dataDir),
        "deleted-before-restart-json");
  }

  private static void checkAcrossARestart(List<String> store, String queue) {
    JsonNode task;
    try (ConfigurableApplicationContext first = CommandLine.startInThisJvm(store)) {
      ApiClient api = ApiClient.of(first);
      task = DeletedThreadTask.takeTaskThenDelete(api, api, queue, HEARTBEAT_TIMEOUT_MILLIS);
    }
    try (ConfigurableApplicationContext second = CommandLine.startInThisJvm(store)) {
      DeletedThreadTask.checkToldToStop(ApiClient.of(second), task, queue);
    }
  }
}
