package io.orchestro.threads.adapters.persistence;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs calls at the same moment, each on a thread of its own, to let them race. */
final class Race {

  private Race() {}

  /**
   * Starts all calls together, waits for them (ten seconds each at most) and returns what they
   * threw, in no particular order.
   */
  static List<Throwable> failuresOf(List<? extends Callable<?>> calls) throws InterruptedException {
    ExecutorService executor = Executors.newFixedThreadPool(calls.size());
    try {
      CountDownLatch ready = new CountDownLatch(calls.size());
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (Callable<?> call : calls) {
        futures.add(
            executor.submit(
                () -> {
                  ready.countDown();
                  go.await();
                  return call.call();
                }));
      }
      ready.await();
      go.countDown();
      List<Throwable> failures = new ArrayList<>();
      for (Future<?> future : futures) {
        try {
          // only a hung call should fail here: a loaded build machine may take seconds per call
          future.get(2, TimeUnit.MINUTES);
        } catch (ExecutionException failed) {
          failures.add(failed.getCause());
        } catch (TimeoutException stuck) {
          throw new AssertionError("a racing call did not finish", stuck);
        }
      }
      return failures;
    } finally {
      executor.shutdownNow();
    }
  }
}
