package io.orchestro.threads.adapters.persistence.sql;

import io.orchestro.threads.adapters.persistence.JsonText;
import io.orchestro.threads.adapters.persistence.StoredJson;
import io.orchestro.threads.domain.StepDefinition;
import io.orchestro.threads.domain.WorkflowDefinition;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Workflow definitions to rows and back; keywords and steps as JSON with the API's names, the steps
 * in the shape of {@link StoredJson} that the JSON store's files have too.
 */
final class WorkflowDefinitionMapping {

  private WorkflowDefinitionMapping() {}

  /** The values of the columns type, version, description, keywords and steps, in that order. */
  static List<Object> columns(WorkflowDefinition definition) {
    return List.of(
        definition.type(),
        definition.version(),
        definition.description(),
        JsonText.compactString(definition.keywords()),
        JsonText.compactString(
            definition.steps().stream().map(StoredJson::stepDefinitionJson).toList()));
  }

  /** A row of type, version, description, keywords and steps. */
  static WorkflowDefinition read(ResultSet row, int rowNumber) throws SQLException {
    List<String> keywords =
        JsonText.parseArray(row.getString("keywords")).stream().map(String.class::cast).toList();
    List<StepDefinition> steps =
        StoredJson.steps(JsonText.parseArray(row.getString("steps")), StoredJson::stepDefinition);
    return new WorkflowDefinition(
        row.getString("type"),
        row.getInt("version"),
        row.getString("description"),
        keywords,
        steps);
  }
}
