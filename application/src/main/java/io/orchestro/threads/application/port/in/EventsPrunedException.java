package io.orchestro.threads.application.port.in;

/**
 * A reader asked to resume after an event older than what the event log still keeps: the events in
 * between were pruned, so resuming would leave a silent gap. It must reload the current state and
 * watch from now on instead.
 */
public class EventsPrunedException extends RuntimeException {

  public EventsPrunedException(long after, long prunedUpTo) {
    super(
        "the events after "
            + after
            + " are no longer kept (the log starts after event "
            + prunedUpTo
            + "); reload the current state and watch again without Last-Event-ID");
  }
}
