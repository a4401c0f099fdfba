package io.orchestro.threads.domain;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Status of a workflow thread. It owns the one table of which transitions are allowed. */
public enum ThreadStatus {
  PENDING,
  RUNNING,
  PAUSED,
  COMPLETED,
  FAILED;

  /**
   * The lifecycle table (docs/api.md "Lifecycle rules" and "Cancel", plus the engine's own moves).
   * The status after {@code transition}: this same status when the call changes nothing, empty when
   * it is not allowed. Delete is allowed from every status and is not a status change, so it is not
   * in this table.
   */
  public Optional<ThreadStatus> after(Transition transition) {
    ThreadStatus next =
        switch (this) {
          case PENDING ->
              switch (transition) {
                case START -> RUNNING;
                case PAUSE -> PAUSED;
                case RESUME -> PENDING;
                case CANCEL -> FAILED;
                case RETRY, COMPLETE, FAIL -> null;
              };
          case RUNNING ->
              switch (transition) {
                case START, RESUME -> RUNNING;
                case PAUSE -> PAUSED;
                case COMPLETE -> COMPLETED;
                case FAIL, CANCEL -> FAILED;
                case RETRY -> null;
              };
          // a step that was in flight when the pause came may still finish or fail the thread
          case PAUSED ->
              switch (transition) {
                case PAUSE -> PAUSED;
                case RESUME -> PENDING;
                case COMPLETE -> COMPLETED;
                case FAIL, CANCEL -> FAILED;
                case START, RETRY -> null;
              };
          case COMPLETED -> null;
          case FAILED -> transition == Transition.RETRY ? PENDING : null;
        };
    return Optional.ofNullable(next);
  }

  /**
   * The lifecycle calls that would change a thread in this status, in {@link ThreadAction} order:
   * those the table above allows and that move the status, and delete. A call that the table
   * accepts without a change (resuming a running thread) is left out, since offering it would
   * promise something that does not happen.
   */
  public List<ThreadAction> allowedActions() {
    return Arrays.stream(ThreadAction.values()).filter(action -> action.changes(this)).toList();
  }

  /** True when the engine may still run steps of a thread in this status. */
  public boolean isActive() {
    return this == PENDING || this == RUNNING;
  }

  public boolean isFinished() {
    return this == COMPLETED || this == FAILED;
  }

  /** The lower-case name used on the wire and in storage. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException for an unknown name
   */
  public static ThreadStatus fromWireName(String name) {
    for (ThreadStatus status : values()) {
      if (status.wireName().equals(name)) {
        return status;
      }
    }
    throw new IllegalArgumentException("unknown thread status '" + name + "'");
  }
}
