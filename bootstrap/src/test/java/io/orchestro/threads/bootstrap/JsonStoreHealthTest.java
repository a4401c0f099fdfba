package io.orchestro.threads.bootstrap;

import java.nio.file.Path;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link StoreHealthTest} for the JSON store. */
@SpringBootTest(
    classes = OrchestroThreadsApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {"orchestro.storage=json", "orchestro.webhooks.enabled=false"})
class JsonStoreHealthTest extends StoreHealthTest {
  @DynamicPropertySource
  static void onASmallDisk(DynamicPropertyRegistry registry) throws Exception {
    Path store = mountSmallDisk("store");
    registry.add("orchestro.storage.json.dir", store::toString);
  }
}
