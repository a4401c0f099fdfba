package io.orchestro.threads.bootstrap;

import io.orchestro.threads.adapters.persistence.json.JsonStoreDirectory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The JSON store is up while the directories it writes to take a write: a small file written,
 * flushed to the disk and deleted in each, as the store's own writes are. A directory that is
 * missing, read-only or on a full disk makes it down. Reads come from memory and do not tell.
 */
final class JsonStoreHealthIndicator extends AbstractHealthIndicator {

  /** Named as the store's temporary files are, so that start-up removes one a crash left. */
  private static final String PROBE_FILE = ".write-probe.tmp";

  private static final ByteBuffer PROBE_BYTES = ByteBuffer.wrap(new byte[4096]).asReadOnlyBuffer();

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
      Path probe = directory.resolve(part).resolve(PROBE_FILE);
      try {
        write(probe);
      } catch (IOException refused) {
        health
            .down()
            .withDetail("not_writable", probe.getParent().toString())
            .withException(refused);
        return;
      }
    }
    health.up();
  }

  private static void write(Path probe) throws IOException {
    try {
      try (FileChannel file =
          FileChannel.open(
              probe,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        file.write(PROBE_BYTES.duplicate());
        file.force(true);
      }
    } finally {
      Files.deleteIfExists(probe);
    }
  }
}
