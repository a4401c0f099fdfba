package io.orchestro.threads.adapters.persistence.json;

import io.orchestro.threads.domain.TestWorkflows;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.WorkflowDefinition;
import io.orchestro.threads.domain.WorkflowThread;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * Runs threads through the store as the engine would, as fast as the disk allows, until it is
 * killed: for {@link JsonStoreDirectoryCrashTest}. Prints {@code done <thread id>} once a thread's
 * last write has returned.
 */
public final class WritingProcess {

  private WritingProcess() {}

  public static void main(String[] args) {
    String owner = args[1];
    WorkflowDefinition definition = TestWorkflows.definition("crash", "a", "b");
    JsonFileWorkflowThreadStore threads = new JsonStoreDirectory(Path.of(args[0])).threads();
    Instant now = Instant.parse("2026-11-28T10:00:00Z");
    while (true) {
      now = now.plusMillis(1);
      WorkflowThread created =
          WorkflowThread.create(ThreadId.generate(), TestWorkflows.request("go"), definition, now);
      threads.insert(created);
      // a thread an earlier, killed writer left pending is older, so it would be claimed first:
      // claim everything, keep the new thread, and let the others go again
      WorkflowThread thread = null;
      for (WorkflowThread claimed : threads.claim(owner, now, now.plusSeconds(15), 1_000)) {
        if (claimed.id().equals(created.id())) {
          thread = claimed;
        } else {
          threads.release(claimed.id(), owner, null);
        }
      }
      thread.start(now);
      for (String step : new String[] {"a", "b"}) {
        thread.startStep(step, now);
        thread = threads.updateIfHeld(thread, owner);
        thread.completeStep(step, Map.of("step", step), now);
        thread = threads.updateIfHeld(thread, owner);
      }
      System.out.println("done " + thread.id());
      System.out.flush();
    }
  }
}
