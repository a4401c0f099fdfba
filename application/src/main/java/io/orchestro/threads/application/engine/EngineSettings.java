package io.orchestro.threads.application.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * How the engine runs.
 *
 * @param nodeId the owner name of this engine's claims; unique among the nodes sharing a store
 * @param maxRunningThreads how many threads this node works on at once
 * @param lease how long a claim lasts unless renewed (renewed every third of it); a dead node's
 *     threads move to another node this long after it died
 * @param pollInterval how often the engine looks for work when nobody signals it: a safety net
 * @param claimBatch how many threads one claim query takes at most
 * @param takeOverAtStart end the claims of every other owner at start-up: right for single-node
 *     stores, whose only other owner is this node's own previous run
 * @param maxStepOutputBytes the most one step's output may take as JSON; a larger output fails the
 *     attempt
 * @param maxThreadBytes the most a thread's input and outputs together may take as JSON; an output
 *     that would pass it fails the attempt
 * @param shutdownGrace how long a close lets the attempts in flight finish and records their
 *     results before it gives up the rest; zero gives them up at once
 * @param claimAhead how long before a thread's start time (or the end of its wait) the engine
 *     claims it, so that the claim's database round trips are done when the time comes and the
 *     worker holding it starts it on the dot; zero claims only once the time has come
 */
public record EngineSettings(
    String nodeId,
    int maxRunningThreads,
    Duration lease,
    Duration pollInterval,
    int claimBatch,
    boolean takeOverAtStart,
    long maxStepOutputBytes,
    long maxThreadBytes,
    Duration shutdownGrace,
    Duration claimAhead) {

  public static final long DEFAULT_MAX_STEP_OUTPUT_BYTES = 256 * 1024;

  /**
   * More than a claim takes on a busy database, and short enough that a thread claimed this early
   * holds a worker for no noticeable time.
   */
  public static final Duration DEFAULT_CLAIM_AHEAD = Duration.ofMillis(200);

  /** Settings that claim a thread only once its time has come. */
  public EngineSettings(
      String nodeId,
      int maxRunningThreads,
      Duration lease,
      Duration pollInterval,
      int claimBatch,
      boolean takeOverAtStart,
      long maxStepOutputBytes,
      long maxThreadBytes,
      Duration shutdownGrace) {
    this(
        nodeId,
        maxRunningThreads,
        lease,
        pollInterval,
        claimBatch,
        takeOverAtStart,
        maxStepOutputBytes,
        maxThreadBytes,
        shutdownGrace,
        Duration.ZERO);
  }

  public static final long DEFAULT_MAX_THREAD_BYTES = 4 * 1024 * 1024;

  /** Settings whose close gives up the attempts in flight at once. */
  public EngineSettings(
      String nodeId,
      int maxRunningThreads,
      Duration lease,
      Duration pollInterval,
      int claimBatch,
      boolean takeOverAtStart,
      long maxStepOutputBytes,
      long maxThreadBytes) {
    this(
        nodeId,
        maxRunningThreads,
        lease,
        pollInterval,
        claimBatch,
        takeOverAtStart,
        maxStepOutputBytes,
        maxThreadBytes,
        Duration.ZERO);
  }

  /** Settings with the default limits on stored sizes, and no shutdown grace. */
  public EngineSettings(
      String nodeId,
      int maxRunningThreads,
      Duration lease,
      Duration pollInterval,
      int claimBatch,
      boolean takeOverAtStart) {
    this(
        nodeId,
        maxRunningThreads,
        lease,
        pollInterval,
        claimBatch,
        takeOverAtStart,
        DEFAULT_MAX_STEP_OUTPUT_BYTES,
        DEFAULT_MAX_THREAD_BYTES);
  }

  public EngineSettings {
    Objects.requireNonNull(nodeId, "nodeId");
    if (maxRunningThreads < 1 || claimBatch < 1) {
      throw new IllegalArgumentException("maxRunningThreads and claimBatch must be at least 1");
    }
    if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("the lease must be at least one second");
    }
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("the poll interval must be positive");
    }
    if (maxStepOutputBytes < 1 || maxThreadBytes < maxStepOutputBytes) {
      throw new IllegalArgumentException(
          "the step output limit must be at least 1 byte, and the thread size limit at least that");
    }
    if (shutdownGrace.isNegative()) {
      throw new IllegalArgumentException("the shutdown grace must not be negative");
    }
    // a live owner renews every third of the lease: a claim ahead shorter than that cannot take
    // a thread from an owner that still renews it
    if (claimAhead.isNegative() || claimAhead.compareTo(lease.dividedBy(3)) >= 0) {
      throw new IllegalArgumentException(
          "the claim ahead must not be negative, and less than a third of the lease");
    }
  }
}
