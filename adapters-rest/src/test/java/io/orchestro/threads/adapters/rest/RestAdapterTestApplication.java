package io.orchestro.threads.adapters.rest;

import io.orchestro.threads.domain.Caller;
import java.time.Duration;
import java.util.concurrent.Executors;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The configuration that {@code @WebMvcTest} slices of this module start from. The slice narrows
 * its component scan to web components (controllers, the advice, filters, converters, MVC
 * configurers) and turns off full auto-configuration. It adds what bootstrap gives the event
 * streams, and the caller every request acts as (bootstrap's security configuration says who).
 */
@SpringBootApplication
class RestAdapterTestApplication {

  @Bean
  EventStreamSettings eventStreamSettings() {
    return new EventStreamSettings(Duration.ofSeconds(15), 100, Executors.newCachedThreadPool());
  }

  @Bean
  CurrentCaller currentCaller() {
    return () -> Caller.LOCAL_ADMIN;
  }
}
