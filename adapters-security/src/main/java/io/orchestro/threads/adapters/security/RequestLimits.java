package io.orchestro.threads.adapters.security;

/**
 * Limits against abuse (README "Running it safely"): each caller's rate of creating threads and of
 * opening event streams, and how many streams may be open at once, per caller and on this node. The
 * per-caller limits apply to callers with a credential; the local admin of protected mode is bound
 * only by the node's cap.
 *
 * @param createThreads creates (one or a batch) per caller
 * @param openStreams event streams opened per caller
 * @param streamsPerCaller event streams one caller may hold open at once
 * @param streamsPerNode event streams this node holds open at once, for every caller together
 */
public record RequestLimits(
    Rate createThreads, Rate openStreams, int streamsPerCaller, int streamsPerNode) {

  public RequestLimits {
    if (streamsPerCaller < 1 || streamsPerNode < 1) {
      throw new IllegalArgumentException("the caps on open event streams must be at least 1");
    }
  }
}
