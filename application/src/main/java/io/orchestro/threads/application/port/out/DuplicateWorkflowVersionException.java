package io.orchestro.threads.application.port.out;

/** Two writers raced to store the same version of a workflow type. */
public class DuplicateWorkflowVersionException extends RuntimeException {

  public DuplicateWorkflowVersionException(String type, int version) {
    super("version " + version + " of workflow '" + type + "' exists already");
  }
}
