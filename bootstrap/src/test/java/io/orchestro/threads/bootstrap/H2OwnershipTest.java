package io.orchestro.threads.bootstrap;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/** {@link OwnershipTest} on H2. */
@SpringBootTest(
    classes = OrchestroThreadsApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = "spring.datasource.url=jdbc:h2:mem:ownership-test;DB_CLOSE_DELAY=-1")
class H2OwnershipTest extends OwnershipTest {}
