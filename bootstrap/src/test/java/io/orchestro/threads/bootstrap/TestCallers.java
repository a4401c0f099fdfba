package io.orchestro.threads.bootstrap;

import io.orchestro.threads.adapters.rest.CurrentCaller;
import io.orchestro.threads.domain.Caller;
import java.util.Locale;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Who a request acts for, taken from two test headers instead of a credential: so that tests of
 * ownership can call as any owner and role over real HTTP before (and apart from) authentication. A
 * request without them is the local admin's, as without a security configuration.
 */
@TestConfiguration(proxyBeanMethods = false)
class TestCallers {

  static final String OWNER = "X-Test-Owner";
  static final String ROLE = "X-Test-Role";

  /** The headers of a request made as {@code owner} with {@code role}. */
  static String[] as(String owner, Caller.Role role) {
    return new String[] {OWNER, owner, ROLE, role.name().toLowerCase(Locale.ROOT)};
  }

  @Bean
  CurrentCaller callerFromTestHeaders() {
    return () -> {
      var request = ((ServletRequestAttributes) RequestContextHolder.currentRequestAttributes());
      String owner = request.getRequest().getHeader(OWNER);
      if (owner == null) {
        return Caller.LOCAL_ADMIN;
      }
      String role = request.getRequest().getHeader(ROLE);
      return new Caller(owner, Caller.Role.valueOf(role.toUpperCase(Locale.ROOT)));
    };
  }
}
