import io.orchestro.threads.adapters.persistence.json.JsonStoreDirectory;
import io.orchestro.threads.domain.StepDefinition;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadRequest;
import io.orchestro.threads.domain.WorkflowDefinition;
import io.orchestro.threads.domain.WorkflowThread;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Fills a JSON store directory with N completed threads, through the store itself (so the files
 * are exactly what the service writes), to measure the service with many threads stored.
 *
 * <p>{@code java -cp CLASSPATH bench/JsonPreload.java DIR N}
 */
public class JsonPreload {

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    int count = Integer.parseInt(args[1]);
    WorkflowDefinition definition =
        new WorkflowDefinition(
            "preloaded",
            1,
            "threads stored before the measurement",
            List.of(),
            List.of(new StepDefinition("only", "delay", Map.of("millis", 0), null, null)));
    try (JsonStoreDirectory store = new JsonStoreDirectory(dir)) {
      store.catalog().add(definition);
      for (int i = 0; i < count; i++) {
        Instant now = Instant.now();
        WorkflowThread thread =
            WorkflowThread.create(
                ThreadId.generate(),
                new ThreadRequest("preloaded " + i, "preloaded", null, null),
                definition,
                now);
        thread.start(now);
        thread.startStep("only", now);
        thread.completeStep("only", Map.of(), now);
        store.threads().insert(thread);
      }
    }
    System.out.printf("preloaded=%d dir=%s%n", count, dir);
  }
}
