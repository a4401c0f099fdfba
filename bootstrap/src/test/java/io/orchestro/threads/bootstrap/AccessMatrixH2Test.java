package io.orchestro.threads.bootstrap;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link AccessMatrix} on the embedded H2 database. */
@SpringBootTest(
    classes = OrchestroThreadsApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = "spring.datasource.url=jdbc:h2:mem:access-matrix;DB_CLOSE_DELAY=-1")
class AccessMatrixH2Test extends AccessMatrix {

  @DynamicPropertySource
  static void keys(DynamicPropertyRegistry registry) {
    configureKeys(registry);
  }
}
