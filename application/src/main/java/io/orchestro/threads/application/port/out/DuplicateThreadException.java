package io.orchestro.threads.application.port.out;

import io.orchestro.threads.domain.ThreadId;

/** A thread with this id is stored already. */
public class DuplicateThreadException extends RuntimeException {

  public DuplicateThreadException(ThreadId id) {
    super("thread " + id + " exists already");
  }
}
