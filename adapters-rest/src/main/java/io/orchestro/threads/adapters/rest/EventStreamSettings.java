package io.orchestro.threads.adapters.rest;

import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * How event streams behave; bootstrap provides it from {@code orchestro.events.*}.
 *
 * @param heartbeat how long a stream may stay silent before a comment line is sent
 * @param clientBuffer live events that may wait for one client; more, and its stream is closed
 * @param senders runs one task per open stream, which writes its events to the client (a slow
 *     client blocks only its own task): it must not cap the number of tasks running at once
 */
public record EventStreamSettings(Duration heartbeat, int clientBuffer, Executor senders) {

  public EventStreamSettings {
    if (heartbeat.isNegative() || heartbeat.isZero()) {
      throw new IllegalArgumentException("the heartbeat interval must be positive");
    }
    if (clientBuffer < 1) {
      throw new IllegalArgumentException("the client buffer holds at least one event");
    }
  }
}
