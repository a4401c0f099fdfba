package io.orchestro.threads.adapters.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestro.threads.domain.Caller;
import io.orchestro.threads.domain.Caller.Role;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;

class JwtCallerConverterTest {

  private final JwtCallerConverter converter = new JwtCallerConverter("roles");

  private static Jwt jwt(String subject, Object roles) {
    Jwt.Builder jwt =
        Jwt.withTokenValue("t").header("alg", "RS256").issuedAt(Instant.EPOCH).subject(subject);
    if (roles != null) {
      jwt.claim("roles", roles);
    }
    return jwt.build();
  }

  private Caller callerOf(Jwt jwt) {
    return ((CallerAuthentication) converter.convert(jwt)).caller();
  }

  @Test
  void theHighestKnownRoleInTheClaimWins() {
    assertThat(callerOf(jwt("jo", List.of("viewer", "OPERATOR", "billing"))))
        .isEqualTo(new Caller("jo", Role.OPERATOR));
    assertThat(callerOf(jwt("jo", "admin viewer"))).isEqualTo(new Caller("jo", Role.ADMIN));
    assertThat(callerOf(jwt("jo", "viewer"))).isEqualTo(new Caller("jo", Role.VIEWER));
  }

  @Test
  void noKnownRoleOrTheEnginesNameGivesNoCaller() {
    assertThat(callerOf(jwt("jo", List.of("guest")))).isNull();
    assertThat(callerOf(jwt("jo", null))).isNull();
    assertThat(callerOf(jwt("jo", 42))).isNull();
    assertThat(callerOf(jwt(Caller.ENGINE_ACTOR, "admin"))).isNull();
    assertThat(converter.convert(jwt("jo", null)).getAuthorities()).isEmpty();
  }
}
