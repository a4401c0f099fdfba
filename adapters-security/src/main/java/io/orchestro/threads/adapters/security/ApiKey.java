package io.orchestro.threads.adapters.security;

import io.orchestro.threads.domain.Caller;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One API key as configured: only the SHA-256 of the key (64 hex digits), never the key, with the
 * role and the owner a request presenting it acts as.
 *
 * @param sha256 the key's SHA-256 in hex, for example {@code printf %s "$KEY" | sha256sum}
 * @param role what the key may do
 * @param owner whose threads it creates and sees
 */
public record ApiKey(String sha256, Caller.Role role, String owner) {

  public ApiKey {
    Objects.requireNonNull(sha256, "an API key needs its sha256");
    Objects.requireNonNull(role, "an API key needs a role (viewer, operator or admin)");
    if (!sha256.matches("[0-9a-fA-F]{64}")) {
      throw new IllegalArgumentException(
          "an API key's sha256 must be the 64 hex digits of the key's SHA-256, not the key itself");
    }
    if (owner == null || owner.isBlank()) {
      throw new IllegalArgumentException("an API key needs an owner");
    }
    if (Caller.ENGINE_ACTOR.equals(owner)) {
      throw new IllegalArgumentException(
          "'" + Caller.ENGINE_ACTOR + "' names the engine in events; it cannot own an API key");
    }
  }

  byte[] hash() {
    return HexFormat.of().parseHex(sha256);
  }

  Caller caller() {
    return new Caller(owner, role);
  }
}
