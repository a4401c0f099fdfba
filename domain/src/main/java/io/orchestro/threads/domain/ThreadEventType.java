package io.orchestro.threads.domain;

import java.util.Locale;

/** Every kind of change of a thread (docs/api.md "Events"). */
public enum ThreadEventType {
  THREAD_CREATED,
  THREAD_STARTED,
  STEP_STARTED,
  STEP_COMPLETED,
  STEP_FAILED,
  /** How far the step in flight has come, in words: coalesced, and not kept for ever. */
  STEP_PROGRESS,
  THREAD_PAUSED,
  THREAD_RESUMED,
  THREAD_RETRIED,
  THREAD_RECOVERED,
  THREAD_COMPLETED,
  THREAD_FAILED,
  THREAD_DELETED,
  /**
   * A webhook was disabled at an event of this thread: its receiver had failed for too long.
   * Changes no thread; its detail names the webhook.
   */
  WEBHOOK_DISABLED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException for an unknown name
   */
  public static ThreadEventType fromWireName(String name) {
    for (ThreadEventType type : values()) {
      if (type.wireName().equals(name)) {
        return type;
      }
    }
    throw new IllegalArgumentException("unknown event type '" + name + "'");
  }
}
