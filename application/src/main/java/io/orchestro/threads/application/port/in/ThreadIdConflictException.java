package io.orchestro.threads.application.port.in;

import io.orchestro.threads.domain.ThreadId;

/** A client-chosen thread id that already names a thread created from a different request. */
public class ThreadIdConflictException extends RuntimeException {

  public ThreadIdConflictException(ThreadId id) {
    super("thread " + id + " already exists with a different request");
  }
}
