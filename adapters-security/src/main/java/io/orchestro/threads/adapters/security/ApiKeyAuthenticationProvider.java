package io.orchestro.threads.adapters.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * Accepts a bearer token that is one of the configured API keys. The token is hashed and compared
 * with every configured hash in constant time, all of them each time, so neither the answer's
 * timing nor the order of the keys tells an attacker how close a guess came. A token that is no
 * known key is left to the next provider (the JWT one, when configured); when none accepts it, the
 * request is a 401.
 */
public final class ApiKeyAuthenticationProvider implements AuthenticationProvider {

  private final List<ApiKey> keys;

  public ApiKeyAuthenticationProvider(List<ApiKey> keys) {
    this.keys = List.copyOf(keys);
  }

  @Override
  public Authentication authenticate(Authentication authentication) {
    byte[] presented = sha256(((BearerTokenAuthenticationToken) authentication).getToken());
    ApiKey match = null;
    for (ApiKey key : keys) {
      if (MessageDigest.isEqual(presented, key.hash()) && match == null) {
        match = key;
      }
    }
    return match == null ? null : CallerAuthentication.of(match.caller());
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return BearerTokenAuthenticationToken.class.isAssignableFrom(authentication);
  }

  static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException everyJdkHasIt) {
      throw new IllegalStateException(everyJdkHasIt);
    }
  }
}
