package io.orchestro.threads.adapters.persistence.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;
import org.springframework.data.domain.Persistable;

/**
 * A row of {@code workflow_thread}. The request and the steps are JSON text: they are only ever
 * read and written whole, with the thread.
 */
@Entity
@Table(name = "workflow_thread")
public class WorkflowThreadEntity implements Persistable<UUID> {

  @Id
  @Column(name = "thread_id")
  private UUID threadId;

  @Column(name = "title", nullable = false)
  private String title;

  @Column(name = "workflow_type", nullable = false)
  private String workflowType;

  @Column(name = "workflow_version", nullable = false)
  private int workflowVersion;

  @Column(name = "status", nullable = false)
  private String status;

  @Column(name = "request", nullable = false)
  private String request;

  @Column(name = "steps", nullable = false)
  private String steps;

  @Column(name = "error_message")
  private String errorMessage;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "start_time")
  private Instant startTime;

  @Column(name = "last_updated", nullable = false)
  private Instant lastUpdated;

  @Column(name = "finished_at")
  private Instant finishedAt;

  /** Written only by the claim operations; see {@code ThreadClaims}. */
  @Column(name = "claim_owner")
  private String claimOwner;

  @Column(name = "claim_until")
  private Instant claimUntil;

  /** Null until the row is inserted (Hibernate then starts it at 0); see {@link #isNew()}. */
  @Version
  @Column(name = "version", nullable = false)
  private Long version;

  protected WorkflowThreadEntity() {}

  WorkflowThreadEntity(UUID threadId) {
    this.threadId = threadId;
  }

  @Override
  public UUID getId() {
    return threadId;
  }

  /**
   * Tells Spring Data to persist (insert) rather than merge: a merge would read the row first and
   * turn an insert of a taken id into an update instead of a primary-key violation.
   */
  @Override
  public boolean isNew() {
    return version == null;
  }

  String title() {
    return title;
  }

  void title(String title) {
    this.title = title;
  }

  String workflowType() {
    return workflowType;
  }

  void workflowType(String workflowType) {
    this.workflowType = workflowType;
  }

  int workflowVersion() {
    return workflowVersion;
  }

  void workflowVersion(int workflowVersion) {
    this.workflowVersion = workflowVersion;
  }

  String status() {
    return status;
  }

  void status(String status) {
    this.status = status;
  }

  String request() {
    return request;
  }

  void request(String request) {
    this.request = request;
  }

  String steps() {
    return steps;
  }

  void steps(String steps) {
    this.steps = steps;
  }

  String errorMessage() {
    return errorMessage;
  }

  void errorMessage(String errorMessage) {
    this.errorMessage = errorMessage;
  }

  Instant createdAt() {
    return createdAt;
  }

  void createdAt(Instant createdAt) {
    this.createdAt = createdAt;
  }

  Instant startTime() {
    return startTime;
  }

  void startTime(Instant startTime) {
    this.startTime = startTime;
  }

  Instant lastUpdated() {
    return lastUpdated;
  }

  void lastUpdated(Instant lastUpdated) {
    this.lastUpdated = lastUpdated;
  }

  Instant finishedAt() {
    return finishedAt;
  }

  void finishedAt(Instant finishedAt) {
    this.finishedAt = finishedAt;
  }

  Long version() {
    return version;
  }

  String claimOwner() {
    return claimOwner;
  }

  /** Ends the claim: the thread needs no worker any more. */
  void releaseClaim() {
    this.claimOwner = null;
    this.claimUntil = null;
  }
}
