package io.orchestro.threads.application.port.in;

/** No schedule of that name. */
public final class ScheduleNotFoundException extends RuntimeException {

  public ScheduleNotFoundException(String name) {
    super("no schedule named '" + name + "'");
  }
}
