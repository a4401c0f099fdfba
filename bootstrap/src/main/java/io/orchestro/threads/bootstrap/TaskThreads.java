package io.orchestro.threads.bootstrap;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/** The threads of the service's background tasks: the engine's workers, streams, deliveries. */
final class TaskThreads {

  /** How long stopping waits for the tasks in progress. */
  private static final Duration STOP_WAIT = Duration.ofSeconds(5);

  private TaskThreads() {}

  /**
   * Virtual threads where the JVM has them (Java 21+): a task that mostly waits then costs almost
   * nothing. On Java 17, {@code pool} with {@link #daemons daemon threads} named {@code
   * namePrefix1}, {@code namePrefix2}...
   */
  static ExecutorService virtualOr(
      Function<ThreadFactory, ExecutorService> pool, String namePrefix) {
    try {
      return (ExecutorService)
          Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    } catch (ReflectiveOperationException beforeJava21) {
      return pool.apply(daemons(namePrefix));
    }
  }

  /** Daemon threads, so that none of them keeps the JVM alive, named {@code namePrefix1}... */
  static ThreadFactory daemons(String namePrefix) {
    CustomizableThreadFactory threads = new CustomizableThreadFactory(namePrefix);
    threads.setDaemon(true);
    return threads;
  }

  /**
   * Stops {@code executor} without interrupting its tasks and waits a bounded time for them: a task
   * interrupted while it writes to an embedded database's file can leave the file corrupted (H2).
   * Tasks still running after the wait are left to end on their own; their threads are daemons.
   */
  static void stopWithoutInterrupting(ExecutorService executor) {
    executor.shutdown();
    try {
      executor.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
