package io.orchestro.threads.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orchestro.threads.adapters.agents.FakeModelServer;
import io.orchestro.threads.adapters.agents.FakeModelServer.Protocol;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The built-in {@code report} workflow with a language model configured: a fake OpenAI-compatible
 * server on this machine outlines, drafts (slowly, in pieces, as a model streams) and reviews, and
 * the thread page in a real Chromium shows the draft growing while it streams.
 */
@SpringBootTest(
    classes = OrchestroThreadsApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = "spring.datasource.url=jdbc:h2:mem:built-in-report-test;DB_CLOSE_DELAY=-1")
class BuiltInReportTest extends BrowserTestBase {

  static final FakeModelServer model = new FakeModelServer(Protocol.OPENAI, "gpt-fake");

  private static final String[] DRAFT = {
    "Sales ",
    "grew ",
    "in ",
    "the ",
    "third ",
    "quarter, ",
    "led ",
    "by ",
    "the ",
    "new ",
    "stores ",
    "in ",
    "the ",
    "north."
  };

  @DynamicPropertySource
  static void configuration(DynamicPropertyRegistry registry) {
    registry.add("orchestro.agents.llm.providers.default.kind", () -> "openai");
    registry.add("orchestro.agents.llm.providers.default.base-url", model::baseUrl);
    registry.add("orchestro.agents.llm.providers.default.api-key", () -> "sk-fake");
    registry.add("orchestro.agents.llm.providers.default.default-model", () -> "gpt-fake");
    // the fake model answers on the loopback address, which the egress policy refuses unless listed
    registry.add("orchestro.egress.allow", () -> "127.0.0.1");
  }

  @AfterAll
  static void stopModel() {
    model.close();
  }

  @Test
  void theReportIsWrittenByTheModelAndItsDraftGrowsOnTheThreadPage() {
    model.answers(12, 6, "1. Figures\n", "2. Causes\n", "3. Outlook");
    // slow enough that the page can be seen to show the draft at several lengths
    model.answersSlowly(500, DRAFT);
    model.answers(40, 14, "Sales grew in Q3, ", "led by the northern stores.");
    String draft = String.join("", DRAFT);

    String id = api().createThread("Q3 sales", "report");
    page.open("#/threads/" + id);

    List<String> seen = new ArrayList<>();
    page.waitFor(
        () -> "the draft to be shown growing; seen: " + seen,
        d -> {
          List<String> shown =
              page.findAll("[data-live-step=\"draft\"]").stream()
                  .map(element -> element.getText())
                  .toList();
          if (!shown.isEmpty() && !shown.get(0).isEmpty() && !seen.contains(shown.get(0))) {
            seen.add(shown.get(0));
          }
          return seen.size() >= 3;
        });
    // each text shown was the draft so far, longer each time
    for (int i = 0; i < seen.size(); i++) {
      assertThat(draft).startsWith(seen.get(i).strip());
      if (i > 0) {
        assertThat(seen.get(i).length()).isGreaterThan(seen.get(i - 1).length());
      }
    }

    await().atMost(Duration.ofSeconds(60)).until(() -> api().status(id).equals("completed"));
    JsonNode steps = api().thread(id).get("steps");
    assertThat(steps.get(0).get("output").get("text").asString())
        .isEqualTo("1. Figures\n2. Causes\n3. Outlook");
    assertThat(steps.get(1).get("output").get("text").asString()).isEqualTo(draft);
    assertThat(steps.get(2).get("output").get("text").asString())
        .isEqualTo("Sales grew in Q3, led by the northern stores.");
    assertThat(steps.get(3).get("output").get("text").asString())
        .isEqualTo("Sales grew in Q3, led by the northern stores.");
    // each prompt carried the step before's answer
    assertThat(model.requests().get(1).body().toString()).contains("3. Outlook");
    assertThat(model.requests().get(2).body().toString()).contains("new stores in the north.");
    // the page shows the finished step's output, not the live text any more
    page.waitFor(
        "the live text to give way to the output", d -> page.findAll("[data-live-step]").isEmpty());
  }
}
