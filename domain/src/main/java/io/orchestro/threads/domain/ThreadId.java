package io.orchestro.threads.domain;

import java.util.Objects;
import java.util.UUID;

/** Identity of a workflow thread: a UUID, chosen by the server or by the client. */
public record ThreadId(UUID value) {

  public ThreadId {
    Objects.requireNonNull(value, "thread id");
  }

  public static ThreadId random() {
    return new ThreadId(UUID.randomUUID());
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
