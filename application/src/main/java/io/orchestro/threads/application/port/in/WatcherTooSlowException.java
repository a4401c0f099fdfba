package io.orchestro.threads.application.port.in;

/** A watcher's buffer of live events filled up: the subscription ended (see EventSubscription). */
public class WatcherTooSlowException extends RuntimeException {

  public WatcherTooSlowException(int bufferCapacity) {
    super(
        "the watcher fell "
            + bufferCapacity
            + " events behind; resume after the last event received");
  }
}
