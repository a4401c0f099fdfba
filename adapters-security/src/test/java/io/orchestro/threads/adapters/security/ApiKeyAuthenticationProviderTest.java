package io.orchestro.threads.adapters.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestro.threads.domain.Caller;
import io.orchestro.threads.domain.Caller.Role;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

class ApiKeyAuthenticationProviderTest {

  private static String hashOf(String key) {
    return HexFormat.of().formatHex(ApiKeyAuthenticationProvider.sha256(key));
  }

  private final ApiKeyAuthenticationProvider provider =
      new ApiKeyAuthenticationProvider(
          List.of(
              new ApiKey(hashOf("first-key"), Role.VIEWER, "vera"),
              new ApiKey(hashOf("second-key").toUpperCase(), Role.ADMIN, "ada")));

  private CallerAuthentication authenticate(String token) {
    return (CallerAuthentication) provider.authenticate(new BearerTokenAuthenticationToken(token));
  }

  @Test
  void aKnownKeyActsAsItsOwnerWithItsRole() {
    CallerAuthentication vera = authenticate("first-key");
    assertThat(vera.caller()).isEqualTo(new Caller("vera", Role.VIEWER));
    assertThat(vera.getAuthorities()).extracting(Object::toString).containsExactly("ROLE_VIEWER");
    assertThat(vera.getCredentials()).isEqualTo("");
    assertThat(authenticate("second-key").caller()).isEqualTo(new Caller("ada", Role.ADMIN));
  }

  @Test
  void anUnknownKeyOrAHashIsLeftToTheNextProvider() {
    assertThat(provider.authenticate(new BearerTokenAuthenticationToken("first-key "))).isNull();
    assertThat(provider.authenticate(new BearerTokenAuthenticationToken(hashOf("first-key"))))
        .isNull();
  }

  @Test
  void aKeyIsConfiguredAsItsHashWithARoleAndAnOwner() {
    assertThatThrownBy(() -> new ApiKey("my-secret-key", Role.ADMIN, "ada"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not the key itself");
    assertThatThrownBy(() -> new ApiKey(hashOf("k"), null, "ada")).hasMessageContaining("role");
    assertThatThrownBy(() -> new ApiKey(hashOf("k"), Role.ADMIN, " "))
        .hasMessageContaining("owner");
    assertThatThrownBy(() -> new ApiKey(hashOf("k"), Role.ADMIN, Caller.ENGINE_ACTOR))
        .hasMessageContaining("engine");
  }

  @Test
  void onlyLiteralLoopbackAddressesAreLocal() {
    assertThat(LoopbackCallerFilter.isLoopback("127.0.0.1")).isTrue();
    assertThat(LoopbackCallerFilter.isLoopback("127.8.9.10")).isTrue();
    assertThat(LoopbackCallerFilter.isLoopback("0:0:0:0:0:0:0:1")).isTrue();
    assertThat(LoopbackCallerFilter.isLoopback("::ffff:127.0.0.1")).isTrue();
    assertThat(LoopbackCallerFilter.isLoopback("192.0.2.2")).isFalse();
    assertThat(LoopbackCallerFilter.isLoopback("localhost")).isFalse();
    assertThat(LoopbackCallerFilter.isLoopback(null)).isFalse();
  }
}
