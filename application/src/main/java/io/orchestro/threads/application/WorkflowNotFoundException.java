package io.orchestro.threads.application;

public class WorkflowNotFoundException extends RuntimeException {

  public WorkflowNotFoundException(String type) {
    super("no workflow '" + type + "'");
  }
}
