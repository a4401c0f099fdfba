package io.orchestro.threads.application.testing;

import io.orchestro.threads.application.port.out.Agent;
import io.orchestro.threads.application.port.out.StepContext;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A test agent, added the way any agent is (in Spring, a bean): each attempt waits until the test
 * opens the gate for that thread and step, or until the attempt is cancelled. Lets a test act while
 * a step is in flight.
 */
public final class GateAgent implements Agent {

  public static final String NAME = "gate";

  private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
  private final Set<String> started = ConcurrentHashMap.newKeySet();
  private final Set<String> cancelled = ConcurrentHashMap.newKeySet();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Map<String, Object> run(StepContext context) throws InterruptedException {
    String key = key(context.threadId().toString(), context.stepName());
    CountDownLatch gate = gates.computeIfAbsent(key, k -> new CountDownLatch(1));
    started.add(key);
    // wake up regularly to notice a cancellation, without busy waiting
    while (!gate.await(10, TimeUnit.MILLISECONDS)) {
      if (context.cancellation().await(Duration.ofMillis(1))) {
        cancelled.add(key);
        throw new IllegalStateException("cancelled");
      }
    }
    return Map.of("opened", context.stepName(), "attempt", context.attempt());
  }

  public void open(String threadId, String step) {
    gates.computeIfAbsent(key(threadId, step), k -> new CountDownLatch(1)).countDown();
  }

  public boolean hasStarted(String threadId, String step) {
    return started.contains(key(threadId, step));
  }

  public boolean wasCancelled(String threadId, String step) {
    return cancelled.contains(key(threadId, step));
  }

  private static String key(String threadId, String step) {
    return threadId + "/" + step;
  }
}
