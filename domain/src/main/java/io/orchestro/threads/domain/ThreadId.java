package io.orchestro.threads.domain;

import java.util.Objects;
import java.util.UUID;

/** Identity of a workflow thread: a UUID, chosen by the server or by the client. */
public record ThreadId(UUID value) {

  public ThreadId {
    Objects.requireNonNull(value, "thread id");
  }

  /**
   * A new id, ordered by time: a version 7 UUID, the current millisecond in its first 48 bits and
   * 74 random bits after it (those of a random UUID). Ids made one after another sit next to each
   * other in the stores' indexes, so that a commit of new threads, and of their steps' results,
   * changes a few index pages rather than one page per thread.
   */
  public static ThreadId generate() {
    UUID random = UUID.randomUUID();
    long millisAndVersion =
        (System.currentTimeMillis() << 16) | 0x7000L | (random.getMostSignificantBits() & 0x0FFFL);
    // the low half keeps the random UUID's variant bits, which version 7 shares
    return new ThreadId(new UUID(millisAndVersion, random.getLeastSignificantBits()));
  }

  /**
   * Parses the canonical text form.
   *
   * @throws IllegalArgumentException when the text is not a UUID
   */
  public static ThreadId parse(String text) {
    return new ThreadId(UUID.fromString(text));
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
