package io.orchestro.threads.bootstrap;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;

/**
 * The REST adapter's controllers, filters and error handling, found by a scan of its package. Only
 * when the application serves HTTP: a store-copy command ({@link StoreCopyCommand}) runs without a
 * web server, and these beans need one.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
@ComponentScan("io.orchestro.threads.adapters.rest")
class RestAdapterConfiguration {}
