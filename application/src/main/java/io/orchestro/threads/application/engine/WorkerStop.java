package io.orchestro.threads.application.engine;

import io.orchestro.threads.application.port.out.Cancellation;
import java.util.concurrent.CompletableFuture;

/**
 * Why a worker stops, once it is told to, and the attempt in flight that telling it cancels. Any
 * thread may stop a worker (a delete, a lost claim, the shutdown); the worker's own thread attaches
 * each attempt before it checks {@link #reason()}, so an attempt either sees the stop or is
 * cancelled by it.
 */
final class WorkerStop {

  private volatile StopReason reason;
  private volatile Cancellation cancellation;
  private volatile CompletableFuture<?> attempt;

  /** The attempt in flight's cancellation when its agent stops on pause, else null. */
  private volatile Cancellation stoppableByPause;

  /** The cancellation that a pause fired: that attempt is cut short, not failed. */
  private volatile Cancellation firedByPause;

  /** Stops the worker for {@code why}, unless it was stopped already, and cancels its attempt. */
  void stop(StopReason why) {
    if (reason == null) {
      reason = why;
    }
    Cancellation inFlight = cancellation;
    if (inFlight != null) {
      inFlight.cancel();
    }
    CompletableFuture<?> waiting = attempt;
    if (waiting != null) {
      waiting.cancel(true);
    }
  }

  /** Why the worker was stopped, or null while it was not. */
  StopReason reason() {
    return reason;
  }

  boolean isStopped() {
    return reason != null;
  }

  /**
   * The attempt now in flight, which a stop cancels through both.
   *
   * @param stopsOnPause whether a pause gives this attempt up ({@code Agent#stopsOnPause})
   */
  void attach(
      Cancellation attemptCancellation, CompletableFuture<?> attemptResult, boolean stopsOnPause) {
    cancellation = attemptCancellation;
    attempt = attemptResult;
    stoppableByPause = stopsOnPause ? attemptCancellation : null;
  }

  /**
   * The thread was paused: an attempt whose agent stops on pause is cancelled (the worker goes on
   * and records it as cut short); any other attempt finishes.
   */
  void pause() {
    Cancellation inFlight = stoppableByPause;
    if (inFlight != null) {
      firedByPause = inFlight;
      inFlight.cancel();
    }
  }

  /** Whether a pause cancelled the attempt of {@code attemptCancellation}. */
  boolean pauseGaveUp(Cancellation attemptCancellation) {
    return firedByPause == attemptCancellation;
  }

  /** The attempt is over: a stop has nothing to cancel. */
  void detach() {
    cancellation = null;
    attempt = null;
    stoppableByPause = null;
  }
}
