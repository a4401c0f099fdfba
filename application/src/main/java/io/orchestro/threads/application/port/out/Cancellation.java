package io.orchestro.threads.application.port.out;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Fires once when the engine gives up on an attempt: the thread was deleted, cancelled or timed
 * out, or paused while an agent that {@link Agent#stopsOnPause() stops on pause} ran.
 */
public final class Cancellation {

  private final CountDownLatch fired = new CountDownLatch(1);
  private final List<Runnable> actions = new ArrayList<>();

  public void cancel() {
    List<Runnable> toRun;
    synchronized (actions) {
      if (isCancelled()) {
        return;
      }
      fired.countDown();
      toRun = List.copyOf(actions);
      actions.clear();
    }
    toRun.forEach(Runnable::run);
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

  /**
   * Runs {@code action} when the cancellation fires (at once, on this thread, when it has fired
   * already), on the thread that cancels: for an agent to abort what it waits on, such as a request
   * in flight. The action should be quick and must not throw.
   */
  public void onCancel(Runnable action) {
    synchronized (actions) {
      if (!isCancelled()) {
        actions.add(action);
        return;
      }
    }
    action.run();
  }
}
