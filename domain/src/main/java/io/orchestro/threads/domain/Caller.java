package io.orchestro.threads.domain;

import java.util.Objects;

/**
 * Who a request acts for: the owner whose threads it may see, and what its role lets it do. A
 * thread belongs to the owner that created it; only an admin sees every owner's threads.
 */
public record Caller(String owner, Role role) {

  /** The roles of docs/api.md, each allowed what the one before it may do and more. */
  public enum Role {
    /** Reads threads, events and definitions. */
    VIEWER,
    /** Also creates threads, changes their lifecycle and works tasks. */
    OPERATOR,
    /** Also manages workflow definitions and webhooks, and sees every owner's threads. */
    ADMIN;

    public boolean includes(Role other) {
      return compareTo(other) >= 0;
    }
  }

  /**
   * The owner of the one caller of a service with no credential configured, and of every thread
   * stored before threads had owners.
   */
  public static final String LOCAL_OWNER = "local";

  /** The one caller of a service with no credential configured: a client on the loopback. */
  public static final Caller LOCAL_ADMIN = new Caller(LOCAL_OWNER, Role.ADMIN);

  /** The actor of events the engine causes on its own (a step finishing, a retry after backoff). */
  public static final String ENGINE_ACTOR = "engine";

  public Caller {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(role, "role");
    if (owner.isBlank()) {
      throw new IllegalArgumentException("a caller's owner must not be blank");
    }
  }

  public boolean may(Role needed) {
    return role.includes(needed);
  }

  /** Whether this caller may see a thread of that owner (a thread with no owner: admins only). */
  public boolean sees(String threadOwner) {
    return role == Role.ADMIN || owner.equals(threadOwner);
  }

  /**
   * The only owner whose threads this caller sees, or null for every owner (an admin): what a
   * store's queries filter by.
   */
  public String ownerFilter() {
    return role == Role.ADMIN ? null : owner;
  }
}
