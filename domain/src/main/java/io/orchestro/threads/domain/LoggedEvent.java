package io.orchestro.threads.domain;

import java.util.Objects;

/**
 * An event as the event log holds it: with the number the log gave it. Numbers only grow, and a
 * reader never sees number N+1 before every number up to N is readable.
 */
public record LoggedEvent(long seq, ThreadEvent event) {

  public LoggedEvent {
    if (seq < 1) {
      throw new IllegalArgumentException("seq starts at 1");
    }
    Objects.requireNonNull(event, "event");
  }
}
