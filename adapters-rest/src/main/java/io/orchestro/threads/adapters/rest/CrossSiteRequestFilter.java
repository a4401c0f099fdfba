package io.orchestro.threads.adapters.rest;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Refuses a change sent by a page of another site: a form posted from elsewhere must not pause,
 * resume, retry, cancel or delete a thread, nor change workflows or webhooks, in the name of a
 * browser that can reach the service (docs/api.md "Errors", 403). A browser says where a request
 * comes from: {@code Sec-Fetch-Site: cross-site}, or an {@code Origin} that is not the service's
 * own (including the opaque {@code null} of sandboxed pages and some redirects). Clients that are
 * not browsers (curl, SDKs, workers) send neither header and pass; so do reads, which change
 * nothing; and so does a page of a site configured for CORS ({@link TrustedOrigins}), by its exact
 * {@code Origin}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 50)
class CrossSiteRequestFilter extends OncePerRequestFilter {

  private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

  private final HandlerExceptionResolver exceptionResolver;
  private final TrustedOrigins trusted;

  /**
   * @param exceptionResolver Spring MVC's resolver, so that the refusal is the same problem+json as
   *     errors inside controllers
   * @param trusted the sites configured for CORS, when the application configures any
   */
  CrossSiteRequestFilter(
      @Qualifier("handlerExceptionResolver") HandlerExceptionResolver exceptionResolver,
      ObjectProvider<TrustedOrigins> trusted) {
    this.exceptionResolver = exceptionResolver;
    this.trusted = trusted.getIfAvailable(() -> TrustedOrigins.NONE);
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (READS.contains(request.getMethod())
        || !isCrossSite(request)
        || isTrusted(request.getHeader("Origin"))) {
      chain.doFilter(request, response);
      return;
    }
    var refused = new CrossSiteRequestException(request.getMethod());
    if (exceptionResolver.resolveException(request, response, null, refused) == null) {
      response.sendError(HttpServletResponse.SC_FORBIDDEN);
    }
  }

  /** A page of a site configured for CORS: its browser names it exactly in {@code Origin}. */
  private boolean isTrusted(String origin) {
    return origin != null && trusted.trusts(origin.trim());
  }

  static boolean isCrossSite(HttpServletRequest request) {
    if ("cross-site".equalsIgnoreCase(request.getHeader("Sec-Fetch-Site"))) {
      return true;
    }
    String origin = request.getHeader("Origin");
    return origin != null && !isSameOrigin(origin.trim(), request);
  }

  /** The origin names this request's own scheme, host and port. */
  private static boolean isSameOrigin(String origin, HttpServletRequest request) {
    URI uri;
    try {
      uri = URI.create(origin);
    } catch (IllegalArgumentException notAnOrigin) {
      return false;
    }
    if (uri.getScheme() == null || uri.getHost() == null) {
      return false; // "null", or not an origin at all
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
    return scheme.equalsIgnoreCase(request.getScheme())
        && uri.getHost().equalsIgnoreCase(request.getServerName())
        && port == request.getServerPort();
  }
}
