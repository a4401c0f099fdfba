package io.orchestro.threads.adapters.persistence.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code thread_event}: one change of a thread. Inserted with the thread's change; its
 * {@code seq} is given later by {@link JpaThreadEventLog}, which also does all the reading.
 */
@Entity
@Table(name = "thread_event")
public class ThreadEventEntity {

  /** The order of insertion. */
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  @Column(name = "id")
  private Long id;

  /** The number readers see: null until numbered after commit, never written through JPA. */
  @Column(name = "seq", insertable = false, updatable = false)
  private Long seq;

  @Column(name = "thread_id", nullable = false)
  private UUID threadId;

  @Column(name = "type", nullable = false)
  private String type;

  @Column(name = "at", nullable = false)
  private Instant at;

  @Column(name = "status", nullable = false)
  private String status;

  @Column(name = "step")
  private String step;

  @Column(name = "progress_completed", nullable = false)
  private int progressCompleted;

  @Column(name = "progress_total", nullable = false)
  private int progressTotal;

  @Column(name = "progress_current_step")
  private String progressCurrentStep;

  @Column(name = "progress_percent", nullable = false)
  private int progressPercent;

  protected ThreadEventEntity() {}

  ThreadEventEntity(
      UUID threadId,
      String type,
      Instant at,
      String status,
      String step,
      int progressCompleted,
      int progressTotal,
      String progressCurrentStep,
      int progressPercent) {
    this.threadId = threadId;
    this.type = type;
    this.at = at;
    this.status = status;
    this.step = step;
    this.progressCompleted = progressCompleted;
    this.progressTotal = progressTotal;
    this.progressCurrentStep = progressCurrentStep;
    this.progressPercent = progressPercent;
  }

  Long seq() {
    return seq;
  }

  UUID threadId() {
    return threadId;
  }

  String type() {
    return type;
  }

  Instant at() {
    return at;
  }

  String status() {
    return status;
  }

  String step() {
    return step;
  }

  int progressCompleted() {
    return progressCompleted;
  }

  int progressTotal() {
    return progressTotal;
  }

  String progressCurrentStep() {
    return progressCurrentStep;
  }

  int progressPercent() {
    return progressPercent;
  }
}
