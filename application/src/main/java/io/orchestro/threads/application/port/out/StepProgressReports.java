package io.orchestro.threads.application.port.out;

import io.orchestro.threads.domain.ThreadId;

/**
 * Where the use cases hand what a step in flight says about its progress (a worker's heartbeat
 * text), to become {@code step_progress} events. Implemented by the engine's publisher, which
 * coalesces them; a report returns at once.
 */
public interface StepProgressReports {

  void report(ThreadId threadId, String step, int attempt, String detail);
}
