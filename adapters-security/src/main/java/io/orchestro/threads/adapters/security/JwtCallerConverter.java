package io.orchestro.threads.adapters.security;

import io.orchestro.threads.domain.Caller;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * A verified JWT as a caller: the owner is its subject ({@code sub}), the role the highest of
 * {@code viewer}, {@code operator} and {@code admin} (any case) found in the configured claim,
 * which may be a list of strings or one string of names separated by spaces (as {@code scope} is).
 * Other values in the claim are ignored; a token with none of the three gets no role.
 */
public final class JwtCallerConverter implements Converter<Jwt, AbstractAuthenticationToken> {

  private final String rolesClaim;

  public JwtCallerConverter(String rolesClaim) {
    this.rolesClaim = rolesClaim;
  }

  @Override
  public AbstractAuthenticationToken convert(Jwt jwt) {
    String subject = jwt.getSubject();
    if (subject == null || subject.isBlank() || Caller.ENGINE_ACTOR.equals(subject)) {
      return CallerAuthentication.withoutRole(String.valueOf(subject));
    }
    return highestRole(jwt.getClaim(rolesClaim))
        .map(role -> CallerAuthentication.of(new Caller(subject, role)))
        .orElseGet(() -> CallerAuthentication.withoutRole(subject));
  }

  private static Optional<Caller.Role> highestRole(Object claim) {
    Collection<?> names =
        claim instanceof Collection<?> list
            ? list
            : claim instanceof String text ? List.of(text.split(" ")) : List.of();
    Caller.Role highest = null;
    for (Object name : names) {
      Caller.Role role = roleNamed(String.valueOf(name));
      if (role != null && (highest == null || role.includes(highest))) {
        highest = role;
      }
    }
    return Optional.ofNullable(highest);
  }

  private static Caller.Role roleNamed(String name) {
    for (Caller.Role role : Caller.Role.values()) {
      if (role.name().equals(name.trim().toUpperCase(Locale.ROOT))) {
        return role;
      }
    }
    return null;
  }
}
