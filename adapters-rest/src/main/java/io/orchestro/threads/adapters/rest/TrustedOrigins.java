package io.orchestro.threads.adapters.rest;

import java.util.List;

/**
 * The other sites whose pages may use the API (CORS, {@code
 * orchestro.security.cors.allowed-origins} in the application): their changes pass {@link
 * CrossSiteRequestFilter}, every other site's are refused. None unless configured.
 *
 * @param origins exact origins, as a browser sends them ({@code https://app.example.org})
 */
public record TrustedOrigins(List<String> origins) {

  /** No other site: the service's own pages only. */
  public static final TrustedOrigins NONE = new TrustedOrigins(List.of());

  public TrustedOrigins {
    origins = List.copyOf(origins);
  }

  boolean trusts(String origin) {
    return origins.stream().anyMatch(trusted -> trusted.equalsIgnoreCase(origin));
  }
}
