package io.orchestro.threads.bootstrap;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/** The threads of the service's background tasks: the engine's workers, streams, deliveries. */
final class TaskThreads {

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
}
