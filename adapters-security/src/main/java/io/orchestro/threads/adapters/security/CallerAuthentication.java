package io.orchestro.threads.adapters.security;

import io.orchestro.threads.domain.Caller;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A request whose credential was accepted: the {@link Caller} it acts for, and its role as the one
 * authority the access rules check ({@code ROLE_VIEWER}, {@code ROLE_OPERATOR}, {@code ROLE_ADMIN};
 * higher roles include the lower ones through the role hierarchy). A JWT that grants no known role
 * has no caller and no authority: it is authenticated, and every API call is a 403.
 */
final class CallerAuthentication extends AbstractAuthenticationToken {

  private final Caller caller;
  private final String name;

  private CallerAuthentication(String name, Caller caller) {
    super(
        caller == null
            ? List.of()
            : List.of(new SimpleGrantedAuthority("ROLE_" + caller.role().name())));
    this.name = name;
    this.caller = caller;
    setAuthenticated(true);
  }

  static CallerAuthentication of(Caller caller) {
    return new CallerAuthentication(caller.owner(), caller);
  }

  static CallerAuthentication withoutRole(String subject) {
    return new CallerAuthentication(subject, null);
  }

  /** The caller, or null for a credential that grants no role. */
  Caller caller() {
    return caller;
  }

  @Override
  public Object getPrincipal() {
    return caller;
  }

  /** Never the key or the token itself: nothing keeps the secret once it has been checked. */
  @Override
  public Object getCredentials() {
    return "";
  }

  @Override
  public String getName() {
    return name;
  }
}
