package io.orchestro.threads.adapters.rest;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The configuration that {@code @WebMvcTest} slices of this module start from. The slice narrows
 * its component scan to web components (controllers, the advice, filters, converters, MVC
 * configurers) and turns off full auto-configuration.
 */
@SpringBootApplication
class RestAdapterTestApplication {}
