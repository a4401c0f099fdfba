package io.orchestro.threads.bootstrap;

import java.nio.file.Path;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link StoreHealthTest} for the H2 file store. */
@SpringBootTest(
    classes = OrchestroThreadsApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = "orchestro.webhooks.enabled=false")
class H2FileStoreHealthTest extends StoreHealthTest {
  @Override
  boolean readyAgainWithoutRestart() {
    return false;
  }

  @DynamicPropertySource
  static void onASmallDisk(DynamicPropertyRegistry registry) throws Exception {
    Path file = mountSmallDisk("h2").resolve("orchestro");
    registry.add(
        "spring.datasource.url",
        () -> "jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
  }
}
