package io.orchestro.threads.adapters.persistence.json;

import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Runs the store's writes one at a time, and refuses them once the store is closed. One lock for
 * every file keeps each compare-and-swap, its events' numbers and their order in the event log
 * simple and correct; reads do not take it (they use the in-memory index).
 */
final class SerialWrites {

  private final ReentrantLock lock = new ReentrantLock();
  private final Path directory;
  private boolean closed;

  SerialWrites(Path directory) {
    this.directory = directory;
  }

  <T> T run(Supplier<T> write) {
    lock.lock();
    try {
      if (closed) {
        // the directory's lock is gone: another process may be writing there by now
        throw new IllegalStateException("the JSON store in " + directory + " is closed");
      }
      return write.get();
    } finally {
      lock.unlock();
    }
  }

  /** Waits for the write in progress, then refuses every later one. */
  void close(Runnable lastly) {
    lock.lock();
    try {
      if (!closed) {
        closed = true;
        lastly.run();
      }
    } finally {
      lock.unlock();
    }
  }
}
