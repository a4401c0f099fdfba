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

  /** The attempt now in flight, which a stop cancels through both. */
  void attach(Cancellation attemptCancellation, CompletableFuture<?> attemptResult) {
    cancellation = attemptCancellation;
    attempt = attemptResult;
  }

  /** The attempt is over: a stop has nothing to cancel. */
  void detach() {
    cancellation = null;
    attempt = null;
  }
}
