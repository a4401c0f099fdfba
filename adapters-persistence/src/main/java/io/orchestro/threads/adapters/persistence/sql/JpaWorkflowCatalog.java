package io.orchestro.threads.adapters.persistence.sql;

import io.orchestro.threads.application.port.out.DuplicateWorkflowVersionException;
import io.orchestro.threads.application.port.out.WorkflowCatalog;
import io.orchestro.threads.domain.WorkflowDefinition;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Workflow definitions in a relational database through JPA, every version of each type. Uses a
 * {@link TransactionTemplate} rather than {@code @Transactional}: a taken version shows only when
 * the insert is flushed, which then happens inside these methods, where it is caught; and no proxy
 * is needed around an object that bootstrap creates with {@code new}.
 */
public final class JpaWorkflowCatalog implements WorkflowCatalog {

  private final WorkflowDefinitionRepository definitions;
  private final TransactionTemplate writing;
  private final TransactionTemplate reading;

  public JpaWorkflowCatalog(
      WorkflowDefinitionRepository definitions, PlatformTransactionManager transactionManager) {
    this.definitions = definitions;
    this.writing = new TransactionTemplate(transactionManager);
    this.reading = new TransactionTemplate(transactionManager);
    this.reading.setReadOnly(true);
  }

  @Override
  public Optional<WorkflowDefinition> latest(String type) {
    return reading.execute(
        status ->
            definitions
                .findFirstByTypeOrderByVersionDesc(type)
                .map(WorkflowDefinitionMapping::toDomain));
  }

  @Override
  public Optional<WorkflowDefinition> find(String type, int version) {
    return reading.execute(
        status ->
            definitions
                .findById(new WorkflowDefinitionEntity.Key(type, version))
                .map(WorkflowDefinitionMapping::toDomain));
  }

  @Override
  public List<WorkflowDefinition> latestOfEach() {
    return reading.execute(
        status ->
            definitions.findLatestOfEachType().stream()
                .map(WorkflowDefinitionMapping::toDomain)
                .toList());
  }

  @Override
  public List<WorkflowDefinition> all() {
    return reading.execute(
        status ->
            definitions.findAllByOrderByTypeAscVersionAsc().stream()
                .map(WorkflowDefinitionMapping::toDomain)
                .toList());
  }

  @Override
  public void add(WorkflowDefinition definition) {
    try {
      writing.executeWithoutResult(
          status -> definitions.saveAndFlush(WorkflowDefinitionMapping.toEntity(definition)));
    } catch (DataIntegrityViolationException rejected) {
      // Usually the primary key: this version was stored before, or by a writer that won a race.
      WorkflowDefinitionEntity.Key key =
          new WorkflowDefinitionEntity.Key(definition.type(), definition.version());
      if (Boolean.TRUE.equals(reading.execute(status -> definitions.existsById(key)))) {
        throw new DuplicateWorkflowVersionException(definition.type(), definition.version());
      }
      throw rejected;
    }
  }
}
