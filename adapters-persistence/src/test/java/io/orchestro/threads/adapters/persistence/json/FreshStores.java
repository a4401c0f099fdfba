package io.orchestro.threads.adapters.persistence.json;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens stores on fresh directories under a test's temporary directory, and closes them all at the
 * end of the test (their lock files would otherwise stay held by this JVM).
 */
final class FreshStores {

  private final List<JsonStoreDirectory> opened = new ArrayList<>();
  private int count;

  /** A store on a new, empty directory under {@code parent}. */
  JsonStoreDirectory openEmpty(Path parent) {
    return open(parent.resolve("store-" + ++count));
  }

  /** A store on {@code directory}, as it is. */
  JsonStoreDirectory open(Path directory) {
    JsonStoreDirectory store = new JsonStoreDirectory(directory);
    opened.add(store);
    return store;
  }

  void closeAll() {
    opened.forEach(JsonStoreDirectory::close);
    opened.clear();
  }
}
