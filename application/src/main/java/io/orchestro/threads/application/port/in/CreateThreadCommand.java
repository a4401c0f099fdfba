package io.orchestro.threads.application.port.in;

import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadRequest;
import java.util.Objects;

/**
 * Create a thread.
 *
 * @param threadId the client's own id, or null to let the server choose one
 */
public record CreateThreadCommand(ThreadId threadId, ThreadRequest request) {

  public CreateThreadCommand {
    Objects.requireNonNull(request, "request");
  }
}
