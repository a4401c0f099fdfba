package io.orchestro.threads.application.port.in;

public class WorkflowNotFoundException extends RuntimeException {

  public WorkflowNotFoundException(String type) {
    super("no workflow '" + type + "'");
  }
}
