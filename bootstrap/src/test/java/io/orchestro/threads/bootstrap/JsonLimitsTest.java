package io.orchestro.threads.bootstrap;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/** Limits in JSON mode, where the single node keeps them in memory. */
@TestPropertySource(properties = "orchestro.storage=json")
class JsonLimitsTest extends LimitsTest {

  @TempDir static Path directory;

  @DynamicPropertySource
  static void jsonDirectory(DynamicPropertyRegistry registry) {
    registry.add("orchestro.storage.json.dir", () -> directory.toString());
  }
}
