package io.orchestro.threads.bootstrap;

import io.orchestro.threads.adapters.persistence.PostgresTestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link AccessMatrix} on PostgreSQL, in a schema of its own. */
@SpringBootTest(
    classes = OrchestroThreadsApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT)
@ExtendWith(PostgresTestDatabase.Required.class)
class AccessMatrixPostgresTest extends AccessMatrix {

  private static PostgresTestDatabase.Schema schema;

  @DynamicPropertySource
  static void keysAndSchema(DynamicPropertyRegistry registry) {
    configureKeys(registry);
    schema = PostgresTestDatabase.newSchema("access_matrix");
    schema
        .connection()
        .springProperties()
        .forEach((name, value) -> registry.add(name, () -> value));
  }

  @AfterAll
  static void dropSchema() {
    if (schema != null) {
      schema.drop();
    }
  }
}
