package io.orchestro.threads.bootstrap;

import io.orchestro.threads.adapters.rest.CurrentCaller;
import io.orchestro.threads.adapters.rest.TrustedOrigins;
import io.orchestro.threads.adapters.security.ApiAccessRules;
import io.orchestro.threads.adapters.security.ApiKeyAuthenticationProvider;
import io.orchestro.threads.adapters.security.AuthenticatedCaller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may call the service (adapters-security): API keys from {@link AccessProperties}, JWTs when
 * Spring Boot's {@code spring.security.oauth2.resourceserver.jwt.*} configures a decoder, and
 * protected mode when neither is configured.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
@EnableWebSecurity
class SecurityConfiguration {

  private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

  @Bean
  ApiAccessRules apiAccessRules(AccessProperties properties, ObjectProvider<JwtDecoder> jwts) {
    ApiAccessRules rules =
        new ApiAccessRules(
            properties.apiKeys(),
            jwts.getIfAvailable(),
            properties.jwt().rolesClaim(),
            properties.limits().toRequestLimits(),
            properties.cors().allowedOrigins());
    if (rules.protectedMode()) {
      log.info(
          "Protected mode: no API key or JWT issuer is configured, so only clients on this"
              + " machine (loopback) are served, as admin. README: \"Running it safely\".");
    }
    return rules;
  }

  @Bean
  SecurityFilterChain apiFilterChain(HttpSecurity http, ApiAccessRules rules) throws Exception {
    return rules.filterChain(http);
  }

  /**
   * No observation of each security filter, authentication and authorization: with Actuator's
   * registry present, Spring Security wraps every filter of the chain in an observation of its own,
   * a dozen per request, which a profile of the creates found in every call. The request itself is
   * still observed ({@code http.server.requests}); the checks are the same.
   */
  @Bean
  static SecurityObservationSettings securityObservationSettings() {
    return SecurityObservationSettings.noObservations();
  }

  @Bean
  static RoleHierarchy roleHierarchy() {
    return ApiAccessRules.roleHierarchy();
  }

  /** A bean, so Spring Boot does not make up a user with a generated password. */
  @Bean
  ApiKeyAuthenticationProvider apiKeyAuthenticationProvider(ApiAccessRules rules) {
    return rules.apiKeyProvider();
  }

  /** The sites allowed by CORS may also change things, past the cross-site refusal. */
  @Bean
  TrustedOrigins trustedOrigins(AccessProperties properties) {
    return new TrustedOrigins(properties.cors().allowedOrigins());
  }

  /**
   * The caller the access rules accepted. Primary over the REST adapter's local-admin default,
   * which stays for applications without security.
   */
  @Bean
  @Primary
  CurrentCaller authenticatedCaller() {
    return AuthenticatedCaller::current;
  }
}
