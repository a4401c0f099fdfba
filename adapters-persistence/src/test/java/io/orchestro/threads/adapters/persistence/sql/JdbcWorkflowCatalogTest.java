package io.orchestro.threads.adapters.persistence.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestro.threads.adapters.persistence.JsonText;
import io.orchestro.threads.adapters.persistence.StoredJson;
import io.orchestro.threads.adapters.persistence.WorkflowCatalogContractTest;
import io.orchestro.threads.application.port.out.WorkflowCatalog;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The catalog contract on H2 with the Flyway schema. The test runs outside a transaction so that
 * the catalog's own transactions commit, as they do in the service.
 */
@JdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
class JdbcWorkflowCatalogTest extends WorkflowCatalogContractTest {

  @Autowired private DataSource dataSource;

  @Override
  protected WorkflowCatalog emptyCatalog() {
    new JdbcTemplate(dataSource).update("delete from workflow_definition");
    return new JdbcWorkflowCatalog(dataSource);
  }

  @Test
  void storesStepsAsJsonWithTheApiFieldNames() {
    catalog.add(everyFieldSet());

    Map<String, Object> row =
        new JdbcTemplate(dataSource)
            .queryForMap(
                "select keywords, steps from workflow_definition where type = ? and version = ?",
                "research",
                4);

    assertThat(JsonText.parseArray((String) row.get("keywords")))
        .containsExactly("research", "investigate", "compare");
    List<Object> steps = JsonText.parseArray((String) row.get("steps"));
    assertThat(StoredJson.element(steps.get(1), "step"))
        .containsOnlyKeys("name", "agent", "config", "retry", "timeout_millis")
        .containsEntry("retry", Map.of("max_attempts", 3, "backoff_millis", 200))
        .containsEntry("timeout_millis", 30_000);
  }
}
