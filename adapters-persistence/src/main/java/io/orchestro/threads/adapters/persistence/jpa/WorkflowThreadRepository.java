package io.orchestro.threads.adapters.persistence.jpa;

import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** Spring Data access to {@code workflow_thread}; public only so that bootstrap can wire it. */
public interface WorkflowThreadRepository
    extends JpaRepository<WorkflowThreadEntity, UUID>,
        JpaSpecificationExecutor<WorkflowThreadEntity> {

  /** Reads the row and locks it until the transaction ends ({@code select ... for update}). */
  @Lock(LockModeType.PESSIMISTIC_WRITE)
  Optional<WorkflowThreadEntity> findForUpdateByThreadId(UUID threadId);

  /**
   * Deletes the row whatever its version. A bulk delete, because {@code deleteById} would load the
   * entity and delete it with a version check, letting a concurrent update win over the delete.
   *
   * @return the number of rows deleted: 0 or 1
   */
  @Modifying
  @Query("delete from WorkflowThreadEntity t where t.threadId = :threadId")
  int deleteRegardlessOfVersion(@Param("threadId") UUID threadId);

  /**
   * Locks up to {@code limit} threads that may run (pending, running) and whose claim has ended,
   * oldest first, skipping rows that another transaction holds (another node claiming at the same
   * moment, or a thread being written). Only the few active rows are read, through the status
   * index, however many finished threads are stored. Plain SQL that H2 and PostgreSQL both accept.
   */
  @Query(
      nativeQuery = true,
      value =
          "select cast(thread_id as varchar) from workflow_thread"
              + " where status in ('pending', 'running')"
              + " and (claim_until is null or claim_until <= :now)"
              + " order by created_at limit :limit for update skip locked")
  List<String> lockRunnable(@Param("now") Instant now, @Param("limit") int limit);

  /**
   * Locks up to {@code limit} threads in another status that an owner left claimed when it stopped
   * renewing (a crash while a paused thread's step was in flight), once that claim has ended. Rare;
   * read through the claim owner index.
   */
  @Query(
      nativeQuery = true,
      value =
          "select cast(thread_id as varchar) from workflow_thread"
              + " where claim_owner is not null and status not in ('pending', 'running')"
              + " and (claim_until is null or claim_until <= :now)"
              + " order by created_at limit :limit for update skip locked")
  List<String> lockLeftClaimed(@Param("now") Instant now, @Param("limit") int limit);

  /** Sets the claim; a bulk update, so the version (optimistic locking) is left alone. */
  @Modifying
  @Query(
      "update WorkflowThreadEntity t set t.claimOwner = :owner, t.claimUntil = :until"
          + " where t.threadId in :ids")
  int claim(
      @Param("ids") Collection<UUID> ids,
      @Param("owner") String owner,
      @Param("until") Instant until);

  @Modifying
  @Query(
      "update WorkflowThreadEntity t set t.claimUntil = :until"
          + " where t.claimOwner = :owner and t.threadId in :ids")
  int renew(
      @Param("ids") Collection<UUID> ids,
      @Param("owner") String owner,
      @Param("until") Instant until);

  @Query(
      "select t.threadId from WorkflowThreadEntity t"
          + " where t.claimOwner = :owner and t.threadId in :ids")
  List<UUID> heldBy(@Param("ids") Collection<UUID> ids, @Param("owner") String owner);

  @Modifying
  @Query(
      "update WorkflowThreadEntity t set t.claimOwner = null, t.claimUntil = :notBefore"
          + " where t.threadId = :id and t.claimOwner = :owner")
  int release(
      @Param("id") UUID id, @Param("owner") String owner, @Param("notBefore") Instant notBefore);

  /** Ends other owners' claims but keeps their names, which mark the threads as left claimed. */
  @Modifying
  @Query(
      "update WorkflowThreadEntity t set t.claimUntil = null"
          + " where t.claimOwner is not null and t.claimOwner <> :owner")
  int expireOtherOwners(@Param("owner") String owner);

  /** Rows per status: {@code [status, count]} pairs, only for statuses that occur. */
  @Query("select t.status, count(t) from WorkflowThreadEntity t group by t.status")
  List<Object[]> countByStatus();
}
