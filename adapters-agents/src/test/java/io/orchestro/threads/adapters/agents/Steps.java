package io.orchestro.threads.adapters.agents;

import io.orchestro.threads.application.port.out.Cancellation;
import io.orchestro.threads.application.port.out.StepContext;
import io.orchestro.threads.domain.ThreadId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Step contexts for calling agents the way the engine does. */
final class Steps {

  final ThreadId threadId = ThreadId.generate();
  final Cancellation cancellation = new Cancellation();
  final List<String> progress = new CopyOnWriteArrayList<>();
  Map<String, Object> input = Map.of("prompt", "Summarise \"Q3\"\nsales");
  Map<String, Map<String, Object>> outputs = Map.of();

  StepContext attempt(String step, Map<String, Object> config, int attempt) {
    return new StepContext(
        threadId, step, config, input, outputs, attempt, cancellation, progress::add);
  }

  StepContext first(String step, Map<String, Object> config) {
    return attempt(step, config, 1);
  }

  /** The first attempt called again after it parked until {@code dueAt}. */
  StepContext resumed(String step, Map<String, Object> config, Instant dueAt) {
    return new StepContext(
        threadId, step, config, input, outputs, 1, cancellation, progress::add, dueAt);
  }
}
