package io.orchestro.threads.adapters.persistence.sql;

import io.orchestro.threads.adapters.persistence.JsonText;
import io.orchestro.threads.adapters.persistence.StoredJson;
import io.orchestro.threads.domain.StepDefinition;
import io.orchestro.threads.domain.WorkflowDefinition;
import java.util.List;

/**
 * Workflow definitions to rows and back; keywords and steps as JSON with the API's names, the steps
 * in the shape of {@link StoredJson} that the JSON store's files have too.
 */
final class WorkflowDefinitionMapping {

  private WorkflowDefinitionMapping() {}

  static WorkflowDefinitionEntity toEntity(WorkflowDefinition definition) {
    return new WorkflowDefinitionEntity(
        definition.type(),
        definition.version(),
        definition.description(),
        JsonText.compactString(definition.keywords()),
        JsonText.compactString(
            definition.steps().stream().map(StoredJson::stepDefinitionJson).toList()));
  }

  static WorkflowDefinition toDomain(WorkflowDefinitionEntity entity) {
    List<String> keywords =
        JsonText.parseArray(entity.keywords()).stream().map(String.class::cast).toList();
    List<StepDefinition> steps =
        StoredJson.steps(JsonText.parseArray(entity.steps()), StoredJson::stepDefinition);
    return new WorkflowDefinition(
        entity.type(), entity.version(), entity.description(), keywords, steps);
  }
}
