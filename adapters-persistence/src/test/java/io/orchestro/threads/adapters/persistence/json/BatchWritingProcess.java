package io.orchestro.threads.adapters.persistence.json;

import io.orchestro.threads.domain.TestWorkflows;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.WorkflowDefinition;
import io.orchestro.threads.domain.WorkflowThread;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Inserts batches of {@link #BATCH_SIZE} threads until it is killed: for {@link
 * JsonBatchCrashTest}. Every thread of a batch has the prompt {@code <run> batch <n>}; prints
 * {@code done <run> batch <n>#} once the batch's write has returned.
 */
public final class BatchWritingProcess {

  static final int BATCH_SIZE = 50;

  private BatchWritingProcess() {}

  public static void main(String[] args) {
    String run = args[1];
    WorkflowDefinition definition = TestWorkflows.definition("crash", "a");
    JsonFileWorkflowThreadStore threads = new JsonStoreDirectory(Path.of(args[0])).threads();
    Instant now = Instant.parse("2026-11-28T10:00:00Z");
    for (int batch = 1; ; batch++) {
      String prompt = run + " batch " + batch;
      List<WorkflowThread> created = new ArrayList<>();
      for (int i = 0; i < BATCH_SIZE; i++) {
        created.add(
            WorkflowThread.create(
                ThreadId.generate(), TestWorkflows.request(prompt), definition, now));
      }
      threads.insertAll(created);
      System.out.println("done " + prompt + "#");
      System.out.flush();
    }
  }
}
