package io.orchestro.threads.adapters.security;

import io.orchestro.threads.domain.Caller;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Protected mode, when no credential is configured: a client on the loopback address acts as the
 * one local admin, exactly as before the service had credentials; any other client stays
 * unauthenticated, so the access rules answer it with a 401 that says how to configure keys.
 *
 * <p>The address is the TCP peer's: a reverse proxy on the same machine makes every client look
 * local, which is why the README asks for keys behind a proxy.
 */
final class LoopbackCallerFilter extends OncePerRequestFilter {

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (isLoopback(request.getRemoteAddr())) {
      var context = SecurityContextHolder.createEmptyContext();
      context.setAuthentication(CallerAuthentication.of(Caller.LOCAL_ADMIN));
      SecurityContextHolder.setContext(context);
    }
    chain.doFilter(request, response);
  }

  /** Async dispatches (event streams) and error pages pass through here again. */
  @Override
  protected boolean shouldNotFilterAsyncDispatch() {
    return false;
  }

  @Override
  protected boolean shouldNotFilterErrorDispatch() {
    return false;
  }

  static boolean isLoopback(String address) {
    // only IP literals: a name would be looked up, and the peer's address is never a name
    if (address == null || !address.matches("[0-9a-fA-F:.]+")) {
      return false;
    }
    try {
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException notAnAddress) {
      return false;
    }
  }
}
