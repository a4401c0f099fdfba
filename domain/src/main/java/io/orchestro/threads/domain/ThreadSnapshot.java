package io.orchestro.threads.domain;

import java.time.Instant;
import java.util.List;

/**
 * Everything a store keeps of a thread: what {@link WorkflowThread#snapshot()} gives and {@link
 * WorkflowThread#restore(ThreadSnapshot)} takes back. Adapters map it to and from their own shapes.
 *
 * @param owner who the thread belongs to: the owner of the caller that created it
 * @param version the optimistic-locking version: the store's count of saved changes
 */
public record ThreadSnapshot(
    ThreadId id,
    String owner,
    String title,
    String workflowType,
    int workflowVersion,
    ThreadRequest request,
    ThreadStatus status,
    List<ThreadStep> steps,
    String errorMessage,
    Instant createdAt,
    Instant startTime,
    Instant lastUpdated,
    Instant finishedAt,
    long version) {

  public ThreadSnapshot {
    steps = List.copyOf(steps);
  }

  /** The same thread under another optimistic-locking version (as a store hands it back). */
  public ThreadSnapshot withVersion(long newVersion) {
    return new ThreadSnapshot(
        id,
        owner,
        title,
        workflowType,
        workflowVersion,
        request,
        status,
        steps,
        errorMessage,
        createdAt,
        startTime,
        lastUpdated,
        finishedAt,
        newVersion);
  }
}
