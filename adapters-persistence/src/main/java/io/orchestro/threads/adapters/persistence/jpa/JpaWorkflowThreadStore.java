package io.orchestro.threads.adapters.persistence.jpa;

import io.orchestro.threads.application.port.in.ListThreadsQuery;
import io.orchestro.threads.application.port.in.ThreadPage;
import io.orchestro.threads.application.port.out.ClaimLostException;
import io.orchestro.threads.application.port.out.ConcurrentThreadUpdateException;
import io.orchestro.threads.application.port.out.DuplicateThreadException;
import io.orchestro.threads.application.port.out.ThreadClaims;
import io.orchestro.threads.application.port.out.WorkflowThreadStore;
import io.orchestro.threads.domain.ThreadEvent;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.WorkflowThread;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Threads in a relational database (H2 or PostgreSQL) through JPA. Each write is one transaction
 * that saves the thread's row and appends the events the aggregate recorded to {@code
 * thread_event}: both land, or neither does.
 *
 * <p>It also keeps the engine's claims ({@link ThreadClaims}) in two columns of the same rows, so
 * that a fenced step write checks the claim and saves the step in one transaction.
 *
 * <p>Transactions come from a {@link TransactionTemplate} rather than {@code @Transactional}: the
 * failures that this port must translate (a taken id, a lost race) can surface only when the
 * transaction flushes or commits, and with a template that happens inside these methods, where they
 * are caught and checked in a fresh transaction. It also needs no proxy around an object that
 * bootstrap creates with {@code new}.
 */
public final class JpaWorkflowThreadStore implements WorkflowThreadStore, ThreadClaims {

  private static final Sort NEWEST_FIRST =
      Sort.by(Sort.Order.desc("createdAt"), Sort.Order.desc("threadId"));

  private final WorkflowThreadRepository threads;
  private final ThreadEventRepository events;
  private final TransactionTemplate writing;
  private final TransactionTemplate reading;
  private final JpaThreadEventLog eventLog;

  /**
   * @param eventLog numbers the events this store appends, once their transaction has committed
   */
  public JpaWorkflowThreadStore(
      WorkflowThreadRepository threads,
      ThreadEventRepository events,
      JpaThreadEventLog eventLog,
      PlatformTransactionManager transactionManager) {
    this.threads = threads;
    this.events = events;
    this.eventLog = eventLog;
    this.writing = new TransactionTemplate(transactionManager);
    this.reading = new TransactionTemplate(transactionManager);
    this.reading.setReadOnly(true);
  }

  /** Stores the thread with version 0. */
  @Override
  public WorkflowThread insert(WorkflowThread thread) {
    try {
      WorkflowThread stored =
          writing.execute(
              status -> {
                WorkflowThreadEntity entity =
                    threads.saveAndFlush(WorkflowThreadMapping.toEntity(thread.snapshot()));
                append(thread);
                return WorkflowThreadMapping.toDomain(entity);
              });
      eventsCommitted(thread);
      return stored;
    } catch (DataIntegrityViolationException rejected) {
      // Usually the primary key: the id was taken before, or by an insert that won a race. The
      // winner has committed by now (the database made this insert wait for it).
      if (exists(thread.id())) {
        throw new DuplicateThreadException(thread.id());
      }
      throw rejected;
    }
  }

  /**
   * Saves the thread if the stored version is still the one it was loaded with. An update that
   * changes no field writes no row and keeps the version; its events, if any, are still appended.
   */
  @Override
  public WorkflowThread update(WorkflowThread thread) {
    return update(
        thread,
        entity -> {
          if (entity == null) {
            throw new ConcurrentThreadUpdateException(thread.id());
          }
        });
  }

  /**
   * The fenced write of the claim's owner: refused unless the owner still holds the claim; ends the
   * claim once the thread needs no worker.
   */
  @Override
  public WorkflowThread update(WorkflowThread thread, String owner) {
    return update(
        thread,
        entity -> {
          if (entity == null || !owner.equals(entity.claimOwner())) {
            throw new ClaimLostException(thread.id(), owner);
          }
          if (thread.isSettled()) {
            entity.releaseClaim();
          }
        });
  }

  /**
   * @param check looks at the locked row (null when it is gone) and throws to refuse the write
   */
  private WorkflowThread update(WorkflowThread thread, Consumer<WorkflowThreadEntity> check) {
    try {
      WorkflowThread stored =
          writing.execute(
              status -> {
                // Locking the row makes the checks below hold until commit, so the events appended
                // here always belong to the state they are stored with.
                WorkflowThreadEntity entity =
                    threads.findForUpdateByThreadId(thread.id().value()).orElse(null);
                check.accept(entity);
                if (entity.version() != thread.version()) {
                  throw new ConcurrentThreadUpdateException(thread.id());
                }
                WorkflowThreadMapping.copyInto(thread.snapshot(), entity);
                // Hibernate writes the row now, with "where version = ?", and bumps the version.
                threads.flush();
                append(thread);
                return WorkflowThreadMapping.toDomain(entity);
              });
      eventsCommitted(thread);
      return stored;
    } catch (ConcurrencyFailureException lostRace) {
      // An optimistic-lock failure, or a lock the database gave up waiting for: either way
      // another writer got there first, and the caller reloads and tries again.
      throw new ConcurrentThreadUpdateException(thread.id());
    }
  }

  @Override
  public Optional<WorkflowThread> find(ThreadId id) {
    return reading.execute(
        status -> threads.findById(id.value()).map(WorkflowThreadMapping::toDomain));
  }

  private boolean exists(ThreadId id) {
    return Boolean.TRUE.equals(reading.execute(status -> threads.existsById(id.value())));
  }

  /** Deletes the row without a version check and appends the thread's events when it was there. */
  @Override
  public boolean delete(WorkflowThread thread) {
    Boolean deleted =
        writing.execute(
            status -> {
              if (threads.deleteRegardlessOfVersion(thread.id().value()) == 0) {
                return false;
              }
              append(thread);
              return true;
            });
    if (Boolean.TRUE.equals(deleted)) {
      eventsCommitted(thread);
      return true;
    }
    return false;
  }

  @Override
  public ThreadPage list(ListThreadsQuery query) {
    if (query.offset() > Integer.MAX_VALUE) {
      // JPA takes the offset as an int; no page that far out holds a thread
      return reading.execute(
          status ->
              new ThreadPage(
                  List.of(), query.page(), query.size(), threads.count(matching(query))));
    }
    return reading.execute(
        status -> {
          Page<WorkflowThreadEntity> page =
              threads.findAll(
                  matching(query), PageRequest.of(query.page(), query.size(), NEWEST_FIRST));
          List<WorkflowThread> items =
              page.getContent().stream().map(WorkflowThreadMapping::toDomain).toList();
          return new ThreadPage(items, query.page(), query.size(), page.getTotalElements());
        });
  }

  private static Specification<WorkflowThreadEntity> matching(ListThreadsQuery query) {
    Specification<WorkflowThreadEntity> matching = Specification.unrestricted();
    if (!query.statuses().isEmpty()) {
      List<String> statuses = query.statuses().stream().map(ThreadStatus::wireName).toList();
      matching = matching.and((thread, criteria, builder) -> thread.get("status").in(statuses));
    }
    if (query.workflowType() != null) {
      matching =
          matching.and(
              (thread, criteria, builder) ->
                  builder.equal(thread.get("workflowType"), query.workflowType()));
    }
    return matching;
  }

  @Override
  public List<WorkflowThread> claim(String owner, Instant now, Instant leaseUntil, int limit) {
    return writing.execute(
        status -> {
          List<UUID> ids =
              threads.lockClaimable(now, limit).stream().map(UUID::fromString).toList();
          if (ids.isEmpty()) {
            return List.of();
          }
          threads.claim(ids, owner, leaseUntil);
          return threads.findAllById(ids).stream().map(WorkflowThreadMapping::toDomain).toList();
        });
  }

  @Override
  public Set<ThreadId> renew(String owner, Collection<ThreadId> ids, Instant leaseUntil) {
    if (ids.isEmpty()) {
      return Set.of();
    }
    List<UUID> uuids = ids.stream().map(ThreadId::value).toList();
    return writing.execute(
        status -> {
          threads.renew(uuids, owner, leaseUntil);
          return threads.heldBy(uuids, owner).stream()
              .map(ThreadId::new)
              .collect(Collectors.toSet());
        });
  }

  @Override
  public void release(ThreadId id, String owner, Instant notBefore) {
    writing.executeWithoutResult(status -> threads.release(id.value(), owner, notBefore));
  }

  @Override
  public int expireOtherOwners(String owner) {
    Integer ended = writing.execute(status -> threads.expireOtherOwners(owner));
    return ended == null ? 0 : ended;
  }

  /**
   * Appends the events the aggregate recorded, unnumbered, one insert each in the order recorded,
   * so that their {@code id}, and so the numbers they get after commit, follow that order.
   */
  private void append(WorkflowThread thread) {
    for (ThreadEvent event : thread.newEvents()) {
      events.save(WorkflowThreadMapping.toEntity(event));
    }
  }

  private void eventsCommitted(WorkflowThread thread) {
    if (!thread.newEvents().isEmpty()) {
      eventLog.committed();
    }
  }
}
