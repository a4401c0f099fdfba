package io.orchestro.threads.application.testing;

import io.orchestro.threads.application.port.out.Agent;
import io.orchestro.threads.application.port.out.StepContext;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A test agent that writes its answer one word at a time, as a model streams: it reports the text
 * so far after each of {@code words} words (its setting), as fast as it can, then answers with the
 * whole text. {@link #finished} opens once its last report has returned.
 */
public final class ReportingAgent implements Agent {

  public static final String NAME = "reporting";

  public final CountDownLatch finished = new CountDownLatch(1);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Map<String, Object> run(StepContext context) {
    int words = ((Number) context.config().get("words")).intValue();
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= words; i++) {
      text.append("word").append(i).append(' ');
      context.progress().accept(text.toString());
    }
    finished.countDown();
    return Map.of("text", text.toString());
  }

  /** The whole text it answers with {@code words} words. */
  public static String textOf(int words) {
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= words; i++) {
      text.append("word").append(i).append(' ');
    }
    return text.toString();
  }
}
