package io.orchestro.threads.domain;

import java.util.Locale;

/**
 * The lifecycle calls a person can make on a thread, declared in the order clients offer them.
 * Which of them a thread allows follows from the one transition table: see {@link
 * ThreadStatus#allowedActions()}.
 */
public enum ThreadAction {
  PAUSE(Transition.PAUSE),
  RESUME(Transition.RESUME),
  RETRY(Transition.RETRY),
  CANCEL(Transition.CANCEL),
  /** Allowed from every status; it removes the thread rather than changing its status. */
  DELETE(null);

  private final Transition transition;

  ThreadAction(Transition transition) {
    this.transition = transition;
  }

  /** True when this call would change a thread in {@code status}, not merely be accepted. */
  boolean changes(ThreadStatus status) {
    return transition == null
        || status.after(transition).filter(next -> next != status).isPresent();
  }

  /** The lower-case name used on the wire, which is also the call's path segment. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
