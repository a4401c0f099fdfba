package io.orchestro.threads.adapters.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * The answers of the access rules, as problem+json like every other error (docs/api.md "Errors"): a
 * 401 with {@code WWW-Authenticate: Bearer} when the credential is missing or not valid, a 403 when
 * the caller's role does not allow the request.
 */
final class ProblemResponses implements AuthenticationEntryPoint, AccessDeniedHandler {

  static final String CONFIGURE_KEYS =
      "This service has no credential configured, so it serves only clients on its own machine"
          + " (the loopback address). To serve other clients, configure API keys"
          + " (orchestro.security.api-keys[0].sha256, .role and .owner) or JWTs"
          + " (spring.security.oauth2.resourceserver.jwt.*): see the README, \"Running it safely\".";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final boolean protectedMode;

  /**
   * @param protectedMode no credential is configured: a 401 tells how to configure one
   */
  ProblemResponses(boolean protectedMode) {
    this.protectedMode = protectedMode;
  }

  @Override
  public void commence(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
      throws IOException {
    String detail;
    String challenge = "Bearer";
    if (protectedMode) {
      detail = CONFIGURE_KEYS;
    } else if (request.getHeader(HttpHeaders.AUTHORIZATION) == null) {
      detail =
          "This request needs a credential: send the header Authorization: Bearer followed by an"
              + " API key or a JWT.";
    } else {
      challenge = "Bearer error=\"invalid_token\"";
      detail =
          "The credential sent is not valid: not a known API key, nor a JWT that is well formed,"
              + " unexpired and signed by the configured issuer.";
    }
    response.setHeader(HttpHeaders.WWW_AUTHENTICATE, challenge);
    write(response, HttpStatus.UNAUTHORIZED, detail);
  }

  @Override
  public void handle(
      HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
      throws IOException {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    String detail =
        authentication instanceof CallerAuthentication caller && caller.caller() != null
            ? "The role "
                + caller.caller().role().name().toLowerCase(Locale.ROOT)
                + " does not allow "
                + request.getMethod()
                + " "
                + request.getRequestURI()
                + "."
            : "The credential grants no role (viewer, operator or admin).";
    write(response, HttpStatus.FORBIDDEN, detail);
  }

  static void write(HttpServletResponse response, HttpStatus status, String detail)
      throws IOException {
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", "about:blank");
    problem.put("title", status.getReasonPhrase());
    problem.put("status", status.value());
    problem.put("detail", detail);
    response.setStatus(status.value());
    response.setContentType("application/problem+json");
    response.setCharacterEncoding("UTF-8");
    JSON.writeValue(response.getOutputStream(), problem);
  }
}
