package io.orchestro.threads.application.port.out;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Fires once when the engine gives up on an attempt: the thread was deleted or timed out. */
public final class Cancellation {

  private final CountDownLatch fired = new CountDownLatch(1);

  public void cancel() {
    fired.countDown();
  }

  public boolean isCancelled() {
    return fired.getCount() == 0;
  }

  /**
   * Waits until the cancellation fires or the time is up.
   *
   * @return true when it fired
   */
  public boolean await(Duration timeout) throws InterruptedException {
    return fired.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }
}
