package io.orchestro.threads.application.port.out;

import io.orchestro.threads.domain.ThreadId;

/** The engine no longer holds the thread: another node took it over, or it was deleted. */
public class ClaimLostException extends RuntimeException {

  public ClaimLostException(ThreadId id, String owner) {
    super("node " + owner + " no longer holds thread " + id);
  }
}
