package io.orchestro.threads.bootstrap;

import org.springframework.test.context.TestPropertySource;

/** Limits on an H2 database. */
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:limits-test;DB_CLOSE_DELAY=-1")
class H2LimitsTest extends LimitsTest {}
