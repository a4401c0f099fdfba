package io.orchestro.threads.adapters.persistence.json;

import java.nio.file.Path;

/**
 * Another store holds the directory: another process, or another store object of this one. Only one
 * may write there at a time, so this one does not open it at all.
 */
public class StoreDirectoryInUseException extends IllegalStateException {

  private final transient Path directory;

  StoreDirectoryInUseException(Path directory, String holder) {
    super(
        "the JSON store directory "
            + directory
            + " is in use by "
            + holder
            + "; only one process may open it at a time (stop that one, or choose another"
            + " orchestro.storage.json.dir)");
    this.directory = directory;
  }

  public Path directory() {
    return directory;
  }
}
