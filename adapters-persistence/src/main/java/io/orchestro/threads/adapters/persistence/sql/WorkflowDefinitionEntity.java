package io.orchestro.threads.adapters.persistence.sql;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import org.springframework.data.domain.Persistable;

/** A row of {@code workflow_definition}: one version of a workflow type, never changed. */
@Entity
@Table(name = "workflow_definition")
@IdClass(WorkflowDefinitionEntity.Key.class)
public class WorkflowDefinitionEntity implements Persistable<WorkflowDefinitionEntity.Key> {

  /** The primary key: a type and one of its versions. */
  public record Key(String type, int version) implements Serializable {}

  @Id
  @Column(name = "type")
  private String type;

  @Id
  @Column(name = "version")
  private int version;

  @Column(name = "description", nullable = false)
  private String description;

  @Column(name = "keywords", nullable = false)
  private String keywords;

  @Column(name = "steps", nullable = false)
  private String steps;

  protected WorkflowDefinitionEntity() {}

  WorkflowDefinitionEntity(
      String type, int version, String description, String keywords, String steps) {
    this.type = type;
    this.version = version;
    this.description = description;
    this.keywords = keywords;
    this.steps = steps;
  }

  @Override
  public Key getId() {
    return new Key(type, version);
  }

  /**
   * Definitions are only ever added, so every save is an insert: a taken (type, version) then fails
   * on the primary key instead of being merged over the stored definition.
   */
  @Override
  public boolean isNew() {
    return true;
  }

  String type() {
    return type;
  }

  int version() {
    return version;
  }

  String description() {
    return description;
  }

  String keywords() {
    return keywords;
  }

  String steps() {
    return steps;
  }
}
