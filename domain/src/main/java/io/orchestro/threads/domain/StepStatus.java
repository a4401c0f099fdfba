package io.orchestro.threads.domain;

import java.util.Locale;

/** Status of one step of a thread. */
public enum StepStatus {
  PENDING,
  RUNNING,
  COMPLETED,
  FAILED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException for an unknown name
   */
  public static StepStatus fromWireName(String name) {
    for (StepStatus status : values()) {
      if (status.wireName().equals(name)) {
        return status;
      }
    }
    throw new IllegalArgumentException("unknown step status '" + name + "'");
  }
}
