package io.orchestro.threads.application.port.out;

import io.orchestro.threads.domain.ThreadId;

/** A thread with this id is stored already. */
public class DuplicateThreadException extends RuntimeException {

  private final transient ThreadId id;

  public DuplicateThreadException(ThreadId id) {
    super("thread " + id + " exists already");
    this.id = id;
  }

  public ThreadId id() {
    return id;
  }
}
