package io.orchestro.threads.bootstrap;

import io.orchestro.threads.adapters.rest.CurrentCaller;
import io.orchestro.threads.domain.Caller;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
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
class RestAdapterConfiguration {

  /** Tomcat's own error pages (for requests it cannot even read) as problem+json too. */
  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorPages() {
    return factory ->
        factory.addContextCustomizers(
            context -> {
              if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
              }
            });
  }

  /** Until a security configuration says who is calling, every request acts as the local admin. */
  @Bean
  @ConditionalOnMissingBean(CurrentCaller.class)
  CurrentCaller localAdminCaller() {
    return () -> Caller.LOCAL_ADMIN;
  }
}
