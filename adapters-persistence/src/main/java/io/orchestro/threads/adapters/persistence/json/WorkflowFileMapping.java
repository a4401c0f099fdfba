package io.orchestro.threads.adapters.persistence.json;

import static io.orchestro.threads.adapters.persistence.StoredJson.array;
import static io.orchestro.threads.adapters.persistence.StoredJson.integer;
import static io.orchestro.threads.adapters.persistence.StoredJson.optionalText;
import static io.orchestro.threads.adapters.persistence.StoredJson.text;

import io.orchestro.threads.adapters.persistence.JsonText;
import io.orchestro.threads.adapters.persistence.StoredJson;
import io.orchestro.threads.domain.StepDefinition;
import io.orchestro.threads.domain.WorkflowDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Workflow definition files ({@code workflows/<type>/<version>.json}) to JSON and back, in the
 * shape of the API's definitions.
 */
final class WorkflowFileMapping {

  private static final String FILE_SUFFIX = ".json";

  private WorkflowFileMapping() {}

  static String fileName(int version) {
    return version + FILE_SUFFIX;
  }

  /** The version a file name stands for, or 0 when it is not {@code <version>.json}. */
  static int versionOfFileName(String name) {
    if (!name.endsWith(FILE_SUFFIX)) {
      return 0;
    }
    String digits = name.substring(0, name.length() - FILE_SUFFIX.length());
    try {
      int version = Integer.parseInt(digits);
      // only the canonical form: no sign, no leading zeros
      return String.valueOf(version).equals(digits) && version > 0 ? version : 0;
    } catch (NumberFormatException notANumber) {
      return 0;
    }
  }

  static byte[] definitionFile(WorkflowDefinition definition) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("type", definition.type());
    json.put("version", definition.version());
    json.put("description", definition.description());
    json.put("keywords", definition.keywords());
    json.put("steps", definition.steps().stream().map(StoredJson::stepDefinitionJson).toList());
    return JsonText.pretty(json);
  }

  /**
   * @throws IllegalArgumentException when the content is not JSON or not a definition, saying why
   */
  static WorkflowDefinition read(byte[] content) {
    Map<String, Object> json = JsonText.parseObject(content);
    List<String> keywords = new ArrayList<>();
    for (Object keyword : array(json, "keywords")) {
      if (!(keyword instanceof String text)) {
        throw new IllegalArgumentException("each of 'keywords' must be text");
      }
      keywords.add(text);
    }
    List<StepDefinition> steps = StoredJson.steps(array(json, "steps"), StoredJson::stepDefinition);
    return new WorkflowDefinition(
        text(json, "type"),
        integer(json, "version"),
        optionalText(json, "description"),
        keywords,
        steps);
  }
}
