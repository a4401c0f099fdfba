package io.orchestro.threads.adapters.persistence.jpa;

import static io.orchestro.threads.adapters.persistence.StoredJson.element;
import static io.orchestro.threads.adapters.persistence.StoredJson.micros;
import static io.orchestro.threads.adapters.persistence.StoredJson.request;
import static io.orchestro.threads.adapters.persistence.StoredJson.requestJson;
import static io.orchestro.threads.adapters.persistence.StoredJson.threadStep;

import io.orchestro.threads.adapters.persistence.StoredJson;
import io.orchestro.threads.domain.Progress;
import io.orchestro.threads.domain.ThreadEvent;
import io.orchestro.threads.domain.ThreadEventType;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadSnapshot;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.ThreadStep;
import io.orchestro.threads.domain.WorkflowThread;
import java.util.List;

/**
 * Threads and their events to rows and back. The request and the steps become JSON in the shapes of
 * {@link StoredJson}, with the API's field names, so that the text in the database reads like the
 * API and like the JSON store's files. Times, in columns and JSON alike, are cut to microseconds
 * ({@link StoredJson#micros}).
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
    entity.steps(
        JsonColumns.write(snapshot.steps().stream().map(StoredJson::threadStepJson).toList()));
    entity.errorMessage(snapshot.errorMessage());
    entity.createdAt(micros(snapshot.createdAt()));
    entity.startTime(micros(snapshot.startTime()));
    entity.lastUpdated(micros(snapshot.lastUpdated()));
    entity.finishedAt(micros(snapshot.finishedAt()));
  }

  static WorkflowThread toDomain(WorkflowThreadEntity entity) {
    List<ThreadStep> steps =
        JsonColumns.readArray(entity.steps()).stream()
            .map(json -> threadStep(element(json, "a step")))
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
        micros(event.at()),
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
}
