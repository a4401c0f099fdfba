package io.orchestro.threads.bootstrap;

import io.orchestro.threads.adapters.persistence.json.JsonStoreDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The JSON store is up while the directories it writes to are there and writable: what it needs to
 * record the next step. Reads come from memory and do not tell.
 */
final class JsonStoreHealthIndicator extends AbstractHealthIndicator {

  private final JsonStoreDirectory store;

  JsonStoreHealthIndicator(JsonStoreDirectory store) {
    super("the JSON store directory could not be checked");
    this.store = store;
  }

  @Override
  protected void doHealthCheck(Health.Builder health) {
    Path directory = store.directory();
    health.withDetail("directory", directory.toString());
    health.withDetail("quarantined_at_start", store.damagedFiles().size());
    for (String part : new String[] {"threads", "events"}) {
      Path written = directory.resolve(part);
      if (!Files.isDirectory(written) || !Files.isWritable(written)) {
        health.down().withDetail("not_writable", written.toString());
        return;
      }
    }
    health.up();
  }
}
