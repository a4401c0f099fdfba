package io.orchestro.threads.application.port.in;

import java.util.UUID;

public class TaskNotFoundException extends RuntimeException {

  public TaskNotFoundException(UUID taskId) {
    super("no task " + taskId);
  }
}
