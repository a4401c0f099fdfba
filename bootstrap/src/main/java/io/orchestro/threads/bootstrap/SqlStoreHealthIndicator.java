package io.orchestro.threads.bootstrap;

import io.orchestro.threads.adapters.persistence.sql.JdbcStoreProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The database store is up while it takes a write ({@link JdbcStoreProbe}); for an H2 file, also
 * while the file's directory is writable, which H2 needs for its next start and its temporary files
 * even when the open file still takes writes.
 */
final class SqlStoreHealthIndicator extends AbstractHealthIndicator {

  private static final String H2_FILE = "jdbc:h2:file:";

  private final JdbcStoreProbe probe;
  private final Clock clock;
  private final Path h2Directory;

  SqlStoreHealthIndicator(JdbcStoreProbe probe, Clock clock, String datasourceUrl) {
    super("the database could not be checked");
    this.probe = probe;
    this.clock = clock;
    this.h2Directory = h2Directory(datasourceUrl);
  }

  @Override
  protected void doHealthCheck(Health.Builder health) {
    if (h2Directory != null && !Files.isWritable(h2Directory)) {
      health.down().withDetail("not_writable", h2Directory.toString());
      return;
    }
    probe.write(clock.instant());
    health.up();
  }

  /** The directory of an H2 file database's URL, or null for another database. */
  private static Path h2Directory(String url) {
    if (!url.startsWith(H2_FILE)) {
      return null;
    }
    String file = url.substring(H2_FILE.length()).split(";", 2)[0];
    return Path.of(file).toAbsolutePath().normalize().getParent();
  }
}
