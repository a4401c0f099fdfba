package io.orchestro.threads.adapters.persistence.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestro.threads.adapters.persistence.JsonText;
import io.orchestro.threads.adapters.persistence.StoredJson;
import io.orchestro.threads.adapters.persistence.WorkflowCatalogContractTest;
import io.orchestro.threads.application.port.out.WorkflowCatalog;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The catalog contract on H2 with the Flyway schema. The test runs outside a transaction so that
 * the catalog's own transactions commit, as they do in the service.
 */
@DataJpaTest(showSql = false)
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
class JpaWorkflowCatalogTest extends WorkflowCatalogContractTest {

  @Autowired private WorkflowDefinitionRepository definitions;
  @Autowired private PlatformTransactionManager transactionManager;

  @Override
  protected WorkflowCatalog emptyCatalog() {
    definitions.deleteAllInBatch();
    return new JpaWorkflowCatalog(definitions, transactionManager);
  }

  @Test
  void storesStepsAsJsonWithTheApiFieldNames() {
    catalog.add(everyFieldSet());

    WorkflowDefinitionEntity row =
        definitions.findById(new WorkflowDefinitionEntity.Key("research", 4)).orElseThrow();

    assertThat(JsonText.parseArray(row.keywords()))
        .containsExactly("research", "investigate", "compare");
    List<Object> steps = JsonText.parseArray(row.steps());
    assertThat(StoredJson.element(steps.get(1), "step"))
        .containsOnlyKeys("name", "agent", "config", "retry", "timeout_millis")
        .containsEntry("retry", Map.of("max_attempts", 3, "backoff_millis", 200))
        .containsEntry("timeout_millis", 30_000);
  }
}
