package io.orchestro.threads.bootstrap;

import org.springframework.context.SmartLifecycle;

/**
 * Runs {@code start} once the application context is up and {@code stop} when it begins to close,
 * before the beans they use are destroyed: for the background work that needs the web server, the
 * store and each other in place.
 */
final class StartStopLifecycle implements SmartLifecycle {

  private final Runnable start;
  private final Runnable stop;
  private final boolean autoStartup;
  private final int phase;
  private volatile boolean running;

  StartStopLifecycle(Runnable start, Runnable stop, boolean autoStartup) {
    this(start, stop, autoStartup, DEFAULT_PHASE);
  }

  /**
   * @param phase when it starts (lowest first) and stops (highest first) among the lifecycles
   */
  StartStopLifecycle(Runnable start, Runnable stop, boolean autoStartup, int phase) {
    this.start = start;
    this.stop = stop;
    this.autoStartup = autoStartup;
    this.phase = phase;
  }

  @Override
  public int getPhase() {
    return phase;
  }

  @Override
  public boolean isAutoStartup() {
    return autoStartup;
  }

  @Override
  public void start() {
    start.run();
    running = true;
  }

  @Override
  public void stop() {
    stop.run();
    running = false;
  }

  /**
   * Not stopped when the context is paused (Spring's test context cache pauses contexts it keeps
   * for later): the engine and the loops run once, start to close, and cannot be started again.
   */
  @Override
  public boolean isPauseable() {
    return false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
