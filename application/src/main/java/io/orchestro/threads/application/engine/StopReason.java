package io.orchestro.threads.application.engine;

/** Why a worker stopped working on its thread before the thread needed no worker. */
enum StopReason {
  DELETED,
  CANCELLED,
  CLAIM_LOST,
  SHUTDOWN
}
