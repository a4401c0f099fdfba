package io.orchestro.threads.application.port.in;

import io.orchestro.threads.domain.ThreadId;

public class ThreadNotFoundException extends RuntimeException {

  public ThreadNotFoundException(ThreadId id) {
    super("no thread " + id);
  }
}
