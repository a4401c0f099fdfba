package io.orchestro.threads.adapters.persistence.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestro.threads.adapters.persistence.JsonText;
import io.orchestro.threads.adapters.persistence.StoredJson;
import io.orchestro.threads.adapters.persistence.WorkflowCatalogContractTest;
import io.orchestro.threads.application.port.out.WorkflowCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The catalog contract on JSON files, each test on a directory of its own. */
class JsonFileWorkflowCatalogTest extends WorkflowCatalogContractTest {

  @RegisterExtension final FreshStores stores = new FreshStores();
  private JsonStoreDirectory store;

  @Override
  protected WorkflowCatalog emptyCatalog() {
    store = stores.openEmpty();
    return store.catalog();
  }

  @Test
  void keepsEachVersionInAFileOfItsOwnWithTheApiFieldNames() throws Exception {
    catalog.add(everyFieldSet());

    Path file = store.directory().resolve("workflows/research/4.json");
    Map<String, Object> json = JsonText.parseObject(Files.readAllBytes(file));

    assertThat(json)
        .containsOnlyKeys("type", "version", "description", "keywords", "steps")
        .containsEntry("type", "research")
        .containsEntry("version", 4);
    assertThat(json.get("keywords")).isEqualTo(List.of("research", "investigate", "compare"));
    Map<String, Object> draft = StoredJson.element(((List<?>) json.get("steps")).get(1), "step");
    assertThat(draft)
        .containsOnlyKeys("name", "agent", "config", "retry", "timeout_millis")
        .containsEntry("retry", Map.of("max_attempts", 3, "backoff_millis", 200))
        .containsEntry("timeout_millis", 30_000);
    assertThat(Files.readString(file)).startsWith("{\n  \"type\": \"research\",\n");
  }

  @Test
  void givesBackEveryVersionAfterAReopen() {
    catalog.add(everyFieldSet());
    catalog.add(everyFieldSet().withVersion(5));

    WorkflowCatalog reopened = stores.reopen(store).catalog();

    assertThat(reopened.find("research", 4)).contains(everyFieldSet());
    assertThat(reopened.latest("research")).contains(everyFieldSet().withVersion(5));
    assertThat(reopened.latestOfEach()).containsExactly(everyFieldSet().withVersion(5));
  }
}
