package io.orchestro.threads.application.testing;

import io.orchestro.threads.application.port.out.ClaimLostException;
import io.orchestro.threads.application.port.out.ThreadClaims;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.WorkflowThread;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * One node's view of the claims whose renewals and checks can be held up, as a stalled node's timer
 * is (a long garbage-collection pause, say); its fenced writes go through, and the ones refused are
 * recorded, as are its releases.
 */
public final class StallingClaims implements ThreadClaims {

  private final ThreadClaims delegate;
  private final List<ThreadId> refused = new CopyOnWriteArrayList<>();
  private final List<ThreadId> released = new CopyOnWriteArrayList<>();
  private volatile CountDownLatch stalled = new CountDownLatch(0);
  private volatile ThreadStatus holdAfterWriting;
  private final CountDownLatch heldWriteMade = new CountDownLatch(1);
  private final CountDownLatch heldWriteLetGo = new CountDownLatch(1);

  public StallingClaims(ThreadClaims delegate) {
    this.delegate = delegate;
  }

  /** From now on renewals and checks wait until {@link #resume()}. */
  public void stall() {
    stalled = new CountDownLatch(1);
  }

  public void resume() {
    stalled.countDown();
  }

  /**
   * The first fenced write that leaves a thread in {@code status} then keeps its writer waiting,
   * the write made, until {@link #letHeldWriteGo()}: a worker slow to end after its last write.
   */
  public void holdAfterWriting(ThreadStatus status) {
    holdAfterWriting = status;
  }

  /** Waits until the held write has been made. */
  public void awaitHeldWrite() throws InterruptedException {
    heldWriteMade.await();
  }

  public void letHeldWriteGo() {
    heldWriteLetGo.countDown();
  }

  /** The threads whose fenced writes were refused as a lost claim, in order. */
  public List<ThreadId> refusedWrites() {
    return List.copyOf(refused);
  }

  /** The threads whose claim the node let go of by a release of its own, in order. */
  public List<ThreadId> releases() {
    return List.copyOf(released);
  }

  @Override
  public Optional<WorkflowThread> find(ThreadId id) {
    return delegate.find(id);
  }

  @Override
  public List<WorkflowThread> claim(String owner, Instant now, Instant leaseUntil, int limit) {
    return delegate.claim(owner, now, leaseUntil, limit);
  }

  @Override
  public Optional<Instant> nextClaimableAt(Instant now) {
    return delegate.nextClaimableAt(now);
  }

  @Override
  public Set<ThreadId> renew(String owner, Collection<ThreadId> ids, Instant leaseUntil) {
    waitWhileStalled();
    return delegate.renew(owner, ids, leaseUntil);
  }

  @Override
  public Map<ThreadId, ThreadStatus> heldStatuses(String owner, Collection<ThreadId> ids) {
    waitWhileStalled();
    return delegate.heldStatuses(owner, ids);
  }

  @Override
  public WorkflowThread updateIfHeld(WorkflowThread thread, String owner) {
    WorkflowThread written;
    try {
      written = delegate.updateIfHeld(thread, owner);
    } catch (ClaimLostException lost) {
      refused.add(thread.id());
      throw lost;
    }
    if (written.status() == holdAfterWriting && heldWriteMade.getCount() > 0) {
      heldWriteMade.countDown();
      try {
        heldWriteLetGo.await();
      } catch (InterruptedException shuttingDown) {
        Thread.currentThread().interrupt();
      }
    }
    return written;
  }

  @Override
  public void release(ThreadId id, String owner, Instant notBefore) {
    released.add(id);
    delegate.release(id, owner, notBefore);
  }

  @Override
  public boolean wake(ThreadId id) {
    return delegate.wake(id);
  }

  @Override
  public int expireOtherOwners(String owner) {
    return delegate.expireOtherOwners(owner);
  }

  private void waitWhileStalled() {
    try {
      stalled.await();
    } catch (InterruptedException shuttingDown) {
      Thread.currentThread().interrupt();
    }
  }
}
