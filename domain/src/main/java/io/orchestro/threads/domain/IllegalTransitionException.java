package io.orchestro.threads.domain;

/** A lifecycle call that the thread's current status does not allow. */
public class IllegalTransitionException extends RuntimeException {

  private final ThreadStatus from;
  private final Transition transition;

  public IllegalTransitionException(ThreadId id, ThreadStatus from, Transition transition) {
    super(
        "cannot "
            + transition.name().toLowerCase(java.util.Locale.ROOT)
            + " thread "
            + id
            + ": it is "
            + from.wireName());
    this.from = from;
    this.transition = transition;
  }

  public ThreadStatus from() {
    return from;
  }

  public Transition transition() {
    return transition;
  }
}
