package io.orchestro.threads.application.port.in;

import io.orchestro.threads.domain.LoggedEvent;
import java.time.Duration;

/**
 * One watcher's events, in order and each once: the history it asked for, then live events. Live
 * events wait in a buffer of bounded size until {@link #next} takes them; a watcher that does not
 * keep up is dropped ({@link WatcherTooSlowException}) rather than let the buffer grow.
 */
public interface EventSubscription extends AutoCloseable {

  /**
   * The next event, waiting at most {@code wait} for one.
   *
   * @return the event, or null when none came in time
   * @throws WatcherTooSlowException when the buffer filled up: the subscription has ended, and the
   *     watcher can start a new one after the last event it got
   * @throws IllegalStateException once closed
   */
  LoggedEvent next(Duration wait) throws InterruptedException;

  /** Stops the subscription. */
  @Override
  void close();
}
