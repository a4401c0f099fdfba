package io.orchestro.threads.application.port.in;

/** A thread asked for a workflow type that has no definition: a bad request, not a missing page. */
public class UnknownWorkflowTypeException extends RuntimeException {

  public UnknownWorkflowTypeException(String type) {
    super("unknown workflow type '" + type + "'");
  }
}
