package io.orchestro.threads.adapters.persistence.json;

import java.nio.file.Path;

/**
 * Opens a JSON store on the directory given as its argument and closes it again, in a process of
 * its own: what a second service started on the same directory does first. Run by {@link
 * JsonStoreDirectoryLockTest}.
 */
public final class SecondStoreProcess {

  /** The exit code when the directory is in use. */
  static final int IN_USE = 3;

  private SecondStoreProcess() {}

  public static void main(String[] args) {
    try (JsonStoreDirectory store = new JsonStoreDirectory(Path.of(args[0]))) {
      System.out.println("opened " + store.directory());
    } catch (StoreDirectoryInUseException inUse) {
      System.out.println(inUse.getMessage());
      System.exit(IN_USE);
    }
  }
}
