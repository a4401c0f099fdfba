package io.orchestro.threads.adapters.security;

import jakarta.servlet.DispatcherType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.security.web.header.writers.ContentSecurityPolicyHeaderWriter;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * Who may call what (docs/api.md "Who may do what"): {@code viewer} reads; {@code operator} also
 * creates threads, changes their lifecycle and works tasks; {@code admin} also manages workflow
 * definitions, schedules and webhooks and reads the actuator. {@code /actuator/health/**} is open
 * to all; the dashboard's files are open when credentials are configured (it signs in with them).
 *
 * <p>Credentials: {@code Authorization: Bearer} with an API key or, when a {@link JwtDecoder} is
 * configured, a JWT. With neither configured the service is in protected mode: loopback clients act
 * as the local admin, every other client gets a 401 that says how to configure keys.
 */
public final class ApiAccessRules {

  /** The strict policy the dashboard's page also declares: nothing but the service's own files. */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src"
          + " 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors"
          + " 'none'";

  private static final String[] HEALTH = {"/actuator/health", "/actuator/health/**"};
  private static final String[] API_DOCS = {
    "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**"
  };

  private final List<ApiKey> apiKeys;
  private final JwtDecoder jwtDecoder;
  private final String jwtRolesClaim;
  private final RequestLimits limits;
  private final List<String> corsOrigins;

  /**
   * @param apiKeys the configured keys, maybe none
   * @param jwtDecoder the decoder of JWTs, null when JWTs are not configured
   * @param jwtRolesClaim the JWT claim that lists the caller's roles
   * @param limits the limits on creating threads and opening event streams
   * @param corsOrigins the other sites whose pages may call the API; none: CORS is off
   */
  public ApiAccessRules(
      List<ApiKey> apiKeys,
      JwtDecoder jwtDecoder,
      String jwtRolesClaim,
      RequestLimits limits,
      List<String> corsOrigins) {
    this.apiKeys = List.copyOf(apiKeys);
    this.jwtDecoder = jwtDecoder;
    this.jwtRolesClaim = jwtRolesClaim;
    this.limits = limits;
    this.corsOrigins = List.copyOf(corsOrigins);
  }

  /** No credential configured: only loopback clients are served. */
  public boolean protectedMode() {
    return apiKeys.isEmpty() && jwtDecoder == null;
  }

  /** Each role includes those below it. */
  public static RoleHierarchy roleHierarchy() {
    return RoleHierarchyImpl.withDefaultRolePrefix()
        .role("ADMIN")
        .implies("OPERATOR")
        .role("OPERATOR")
        .implies("VIEWER")
        .build();
  }

  public ApiKeyAuthenticationProvider apiKeyProvider() {
    return new ApiKeyAuthenticationProvider(apiKeys);
  }

  public SecurityFilterChain filterChain(HttpSecurity http) throws Exception {
    ProblemResponses problems = new ProblemResponses(protectedMode());
    http.csrf(
            AbstractHttpConfigurer
                ::disable) // bearer credentials; cross-site forms: CrossSiteRequestFilter
        .cors(
            cors -> {
              if (corsOrigins.isEmpty()) {
                cors.disable();
              } else {
                cors.configurationSource(corsSource());
              }
            })
        .formLogin(AbstractHttpConfigurer::disable)
        .httpBasic(AbstractHttpConfigurer::disable)
        .logout(AbstractHttpConfigurer::disable)
        .requestCache(AbstractHttpConfigurer::disable)
        .sessionManagement(
            sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .exceptionHandling(
            errors -> errors.authenticationEntryPoint(problems).accessDeniedHandler(problems))
        .headers(
            headers ->
                headers
                    // before the chain, not after it returns: an event stream's answer is by then
                    // being written by the broadcaster's thread, and Tomcat's headers are not safe
                    // for two threads (a NullPointerException in MimeHeaders, seen in CI)
                    .withObjectPostProcessor(
                        new ObjectPostProcessor<HeaderWriterFilter>() {
                          @Override
                          public <O extends HeaderWriterFilter> O postProcess(O filter) {
                            filter.setShouldWriteHeadersEagerly(true);
                            return filter;
                          }
                        })
                    // API answers keep their own caching rules (the dashboard's files: no-cache)
                    .cacheControl(cache -> cache.disable())
                    .frameOptions(frames -> frames.deny())
                    .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER))
                    // Swagger UI's page needs more than the dashboard's strict policy allows
                    .addHeaderWriter(
                        new DelegatingRequestMatcherHeaderWriter(
                            notApiDocs(),
                            new ContentSecurityPolicyHeaderWriter(CONTENT_SECURITY_POLICY))))
        .authorizeHttpRequests(
            rules -> {
              rules
                  .dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC)
                  .permitAll()
                  .requestMatchers(HEALTH)
                  .permitAll()
                  .requestMatchers("/actuator", "/actuator/**")
                  .hasRole("ADMIN")
                  .requestMatchers("/api/webhooks", "/api/webhooks/**")
                  .hasRole("ADMIN")
                  .requestMatchers(HttpMethod.GET, "/api/**")
                  .hasRole("VIEWER")
                  .requestMatchers(HttpMethod.HEAD, "/api/**")
                  .hasRole("VIEWER")
                  .requestMatchers(API_DOCS)
                  .hasRole("VIEWER")
                  .requestMatchers("/api/workflows/**", "/api/schedules/**")
                  .hasRole("ADMIN")
                  .requestMatchers("/api/threads/**", "/api/tasks/**")
                  .hasRole("OPERATOR")
                  // a path no rule names yet is closed until one opens it
                  .requestMatchers("/api/**")
                  .hasRole("ADMIN");
              if (protectedMode()) {
                rules.anyRequest().authenticated();
              } else {
                rules.anyRequest().permitAll(); // the dashboard's files: it signs in itself
              }
            });
    if (protectedMode()) {
      http.addFilterBefore(new LoopbackCallerFilter(), AnonymousAuthenticationFilter.class);
    } else {
      ProviderManager credentials = new ProviderManager(providers());
      http.oauth2ResourceServer(
          bearer ->
              bearer
                  .authenticationManagerResolver(request -> credentials)
                  .authenticationEntryPoint(problems)
                  .accessDeniedHandler(problems));
    }
    http.addFilterAfter(
        new RequestLimitsFilter(limits, System::nanoTime), AuthorizationFilter.class);
    return http.build();
  }

  private List<AuthenticationProvider> providers() {
    List<AuthenticationProvider> providers = new ArrayList<>();
    providers.add(apiKeyProvider());
    if (jwtDecoder != null) {
      JwtAuthenticationProvider jwt = new JwtAuthenticationProvider(jwtDecoder);
      jwt.setJwtAuthenticationConverter(new JwtCallerConverter(jwtRolesClaim));
      providers.add(jwt);
    }
    return providers;
  }

  /**
   * CORS for the configured sites, on the API only: its methods, the headers its clients send, and
   * the answer headers they read. No cookies: the credential is a bearer header the page sets.
   */
  private CorsConfigurationSource corsSource() {
    CorsConfiguration api = new CorsConfiguration();
    api.setAllowedOrigins(corsOrigins);
    api.setAllowedMethods(List.of("GET", "HEAD", "POST", "PUT", "DELETE"));
    api.setAllowedHeaders(List.of("Authorization", "Content-Type", "Last-Event-ID"));
    api.setExposedHeaders(List.of("Location", "Retry-After", "WWW-Authenticate"));
    api.setAllowCredentials(false);
    api.setMaxAge(Duration.ofHours(1));
    UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
    source.registerCorsConfiguration("/api/**", api);
    return source;
  }

  private static RequestMatcher notApiDocs() {
    List<RequestMatcher> docs = new ArrayList<>();
    for (String pattern : API_DOCS) {
      docs.add(PathPatternRequestMatcher.withDefaults().matcher(pattern));
    }
    return new NegatedRequestMatcher(new OrRequestMatcher(docs));
  }
}
