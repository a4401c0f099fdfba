package io.orchestro.threads.application.port.out;

import io.orchestro.threads.domain.ThreadId;

/**
 * Someone saved the thread after it was loaded (its version moved on), or deleted it. The caller
 * reloads and tries again.
 */
public class ConcurrentThreadUpdateException extends RuntimeException {

  public ConcurrentThreadUpdateException(ThreadId id) {
    super("thread " + id + " was changed or deleted concurrently");
  }
}
