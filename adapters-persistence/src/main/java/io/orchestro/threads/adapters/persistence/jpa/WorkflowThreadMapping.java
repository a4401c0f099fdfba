package io.orchestro.threads.adapters.persistence.jpa;

import io.orchestro.threads.domain.Progress;
import io.orchestro.threads.domain.StepStatus;
import io.orchestro.threads.domain.ThreadEvent;
import io.orchestro.threads.domain.ThreadEventType;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadRequest;
import io.orchestro.threads.domain.ThreadSnapshot;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.ThreadStep;
import io.orchestro.threads.domain.WorkflowThread;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Threads and their events to rows and back. The request and the steps become JSON with the API's
 * field names, so that the text in the database reads like the API.
 */
final class WorkflowThreadMapping {

  private WorkflowThreadMapping() {}

  /** A new row; its version stays null until it is inserted. */
  static WorkflowThreadEntity toEntity(ThreadSnapshot snapshot) {
    WorkflowThreadEntity entity = new WorkflowThreadEntity(snapshot.id().value());
    copyInto(snapshot, entity);
    return entity;
  }

  /** Writes everything but the id and the version, which the store and Hibernate look after. */
  static void copyInto(ThreadSnapshot snapshot, WorkflowThreadEntity entity) {
    entity.title(snapshot.title());
    entity.workflowType(snapshot.workflowType());
    entity.workflowVersion(snapshot.workflowVersion());
    entity.status(snapshot.status().wireName());
    entity.request(JsonColumns.write(requestJson(snapshot.request())));
    entity.steps(JsonColumns.write(snapshot.steps().stream().map(step -> stepJson(step)).toList()));
    entity.errorMessage(snapshot.errorMessage());
    entity.createdAt(stored(snapshot.createdAt()));
    entity.startTime(stored(snapshot.startTime()));
    entity.lastUpdated(stored(snapshot.lastUpdated()));
    entity.finishedAt(stored(snapshot.finishedAt()));
  }

  static WorkflowThread toDomain(WorkflowThreadEntity entity) {
    List<ThreadStep> steps =
        JsonColumns.readArray(entity.steps()).stream()
            .map(json -> step(JsonColumns.object(json)))
            .toList();
    return WorkflowThread.restore(
        new ThreadSnapshot(
            new ThreadId(entity.getId()),
            entity.title(),
            entity.workflowType(),
            entity.workflowVersion(),
            request(JsonColumns.readObject(entity.request())),
            ThreadStatus.fromWireName(entity.status()),
            steps,
            entity.errorMessage(),
            entity.createdAt(),
            entity.startTime(),
            entity.lastUpdated(),
            entity.finishedAt(),
            entity.version()));
  }

  static ThreadEventEntity toEntity(ThreadEvent event) {
    Progress progress = event.progress();
    return new ThreadEventEntity(
        event.threadId().value(),
        event.type().wireName(),
        stored(event.at()),
        event.status().wireName(),
        event.step(),
        progress.completed(),
        progress.total(),
        progress.currentStep(),
        progress.percent());
  }

  static ThreadEvent toDomain(ThreadEventEntity entity) {
    return new ThreadEvent(
        ThreadEventType.fromWireName(entity.type()),
        new ThreadId(entity.threadId()),
        entity.at(),
        ThreadStatus.fromWireName(entity.status()),
        entity.step(),
        new Progress(
            entity.progressCompleted(),
            entity.progressTotal(),
            entity.progressCurrentStep(),
            entity.progressPercent()));
  }

  /**
   * Both databases keep microseconds. Cutting finer digits off here, in columns and JSON alike,
   * makes the thread that a write returns equal to the one a later read returns.
   */
  private static Instant stored(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
  }

  private static Map<String, Object> requestJson(ThreadRequest request) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("prompt", request.prompt());
    json.put("workflow_type", request.workflowType());
    json.put("title", request.title());
    json.put("input", request.input());
    return json;
  }

  private static ThreadRequest request(Map<String, Object> json) {
    return new ThreadRequest(
        (String) json.get("prompt"),
        (String) json.get("workflow_type"),
        (String) json.get("title"),
        JsonColumns.object(json.get("input")));
  }

  private static Map<String, Object> stepJson(ThreadStep step) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", step.name());
    json.put("agent", step.agent());
    json.put("status", step.status().wireName());
    json.put("attempts", step.attempts());
    json.put("failures", step.failures());
    json.put("started_at", JsonColumns.time(stored(step.startedAt())));
    json.put("finished_at", JsonColumns.time(stored(step.finishedAt())));
    json.put("output", step.output());
    json.put("error", step.error());
    return json;
  }

  private static ThreadStep step(Map<String, Object> json) {
    return new ThreadStep(
        (String) json.get("name"),
        (String) json.get("agent"),
        StepStatus.fromWireName((String) json.get("status")),
        ((Number) json.get("attempts")).intValue(),
        ((Number) json.get("failures")).intValue(),
        JsonColumns.instant(json.get("started_at")),
        JsonColumns.instant(json.get("finished_at")),
        JsonColumns.object(json.get("output")),
        (String) json.get("error"));
  }
}
