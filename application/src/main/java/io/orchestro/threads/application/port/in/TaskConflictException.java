package io.orchestro.threads.application.port.in;

/** A task call that comes too late: the attempt was superseded, cancelled or timed out. */
public class TaskConflictException extends RuntimeException {

  public TaskConflictException(String message) {
    super(message);
  }
}
