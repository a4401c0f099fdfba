package io.orchestro.threads.application.testing;

import io.orchestro.threads.application.port.out.Agent;
import io.orchestro.threads.application.port.out.StepContext;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * A test agent, added the way any agent is (in Spring, a bean): each attempt waits until the test
 * opens the gate for that thread and step, or until the attempt is cancelled. Lets a test act while
 * a step is in flight.
 */
public final class GateAgent implements Agent {

  public static final String NAME = "gate";

  /** The name of a gate that {@link #stopsOnPause() stops on pause}, as a remote call does. */
  public static final String STOPPING_ON_PAUSE = "gate-stopping-on-pause";

  private final String name;
  private final boolean stopsOnPause;

  private final Map<String, CompletableFuture<Void>> gates = new ConcurrentHashMap<>();
  private final Set<String> started = ConcurrentHashMap.newKeySet();
  private final Set<String> cancelled = ConcurrentHashMap.newKeySet();

  /** The usual gate: a pause lets its attempt finish. */
  public GateAgent() {
    this(NAME, false);
  }

  public GateAgent(String name, boolean stopsOnPause) {
    this.name = name;
    this.stopsOnPause = stopsOnPause;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean stopsOnPause() {
    return stopsOnPause;
  }

  @Override
  public Map<String, Object> run(StepContext context) throws InterruptedException {
    String key = key(context.threadId().toString(), context.stepName());
    CompletableFuture<Void> gate = gate(key);
    started.add(key);
    // sleeps until the gate opens or the attempt is cancelled: no wake-ups in between, since a test
    // may leave hundreds of attempts at closed gates in a context that stays cached for the run
    CompletableFuture<Void> cancellation = new CompletableFuture<>();
    context.cancellation().onCancel(() -> cancellation.complete(null));
    try {
      CompletableFuture.anyOf(gate, cancellation).get();
    } catch (ExecutionException cannotHappen) {
      throw new IllegalStateException(cannotHappen);
    }
    if (!gate.isDone()) {
      cancelled.add(key);
      throw new IllegalStateException("cancelled");
    }
    return Map.of("opened", context.stepName(), "attempt", context.attempt());
  }

  public void open(String threadId, String step) {
    gate(key(threadId, step)).complete(null);
  }

  public boolean hasStarted(String threadId, String step) {
    return started.contains(key(threadId, step));
  }

  public boolean wasCancelled(String threadId, String step) {
    return cancelled.contains(key(threadId, step));
  }

  private CompletableFuture<Void> gate(String key) {
    return gates.computeIfAbsent(key, k -> new CompletableFuture<>());
  }

  private static String key(String threadId, String step) {
    return threadId + "/" + step;
  }
}
