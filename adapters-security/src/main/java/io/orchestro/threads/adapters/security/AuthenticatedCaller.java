package io.orchestro.threads.adapters.security;

import io.orchestro.threads.domain.Caller;
import org.springframework.security.core.context.SecurityContextHolder;

/** Who the request being handled on this thread acts for, as the access rules accepted it. */
public final class AuthenticatedCaller {

  private AuthenticatedCaller() {}

  /**
   * The request's caller.
   *
   * @throws IllegalStateException outside a request the access rules let through with a role: the
   *     rules give every API path one, so this means a path was left open by mistake
   */
  public static Caller current() {
    if (SecurityContextHolder.getContext().getAuthentication()
            instanceof CallerAuthentication authenticated
        && authenticated.caller() != null) {
      return authenticated.caller();
    }
    throw new IllegalStateException("this request was not authenticated with a role");
  }
}
