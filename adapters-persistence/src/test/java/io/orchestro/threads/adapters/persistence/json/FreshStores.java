package io.orchestro.threads.adapters.persistence.json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The JSON store tests' set-up: stores on directories under a temporary directory of each test's
 * own, all closed after the test (their lock files would otherwise stay held by this JVM), then the
 * directory deleted. A test registers it with {@code @RegisterExtension final FreshStores stores =
 * new FreshStores();}.
 */
final class FreshStores implements BeforeEachCallback, AfterEachCallback {

  private final List<JsonStoreDirectory> opened = new ArrayList<>();
  private Path root;
  private int count;

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    root = Files.createTempDirectory("json-store-test");
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    closeAll();
    try (Stream<Path> files = Files.walk(root)) {
      // the deepest first, so that each directory is empty when its turn comes
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }

  /** A new directory's path under the test's temporary directory; nothing is there yet. */
  Path newDirectory() {
    return root.resolve("store-" + ++count);
  }

  /** A store on a new, empty directory. */
  JsonStoreDirectory openEmpty() {
    return open(newDirectory());
  }

  /** A store on a new, empty directory that keeps only this many of the newest events in memory. */
  JsonStoreDirectory openEmpty(int recentEvents) {
    return track(new JsonStoreDirectory(newDirectory(), recentEvents));
  }

  /** A store on a new, empty directory whose event log starts a new segment at this size. */
  JsonStoreDirectory openEmptyWithEventSegments(long segmentBytes) {
    return track(
        new JsonStoreDirectory(newDirectory(), JsonFileThreadEventLog.RECENT_EVENTS, segmentBytes));
  }

  /** A store on {@code directory}, as it is. */
  JsonStoreDirectory open(Path directory) {
    return track(new JsonStoreDirectory(directory));
  }

  /** Closes the store and opens its directory again, as a restart would. */
  JsonStoreDirectory reopen(JsonStoreDirectory store) {
    store.close();
    return open(store.directory());
  }

  private JsonStoreDirectory track(JsonStoreDirectory store) {
    opened.add(store);
    return store;
  }

  private void closeAll() {
    opened.forEach(JsonStoreDirectory::close);
    opened.clear();
  }
}
