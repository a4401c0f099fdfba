package io.orchestro.threads.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.OutputType;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Writes the README's screenshots of the dashboard, at desktop and phone width, into the directory
 * given as {@code -Dorchestro.screenshots=DIR}. Not part of the build (its name does not end in
 * {@code Test}, so surefire runs it only when named); named without the property it does not run.
 * From the project's root:
 *
 * <pre>
 * ./mvnw -B -pl bootstrap -am test -Dtest=DashboardScreenshots \
 *   -Dsurefire.failIfNoSpecifiedTests=false -Dorchestro.screenshots=$PWD/docs/screenshots
 * </pre>
 */
@EnabledIfSystemProperty(named = "orchestro.screenshots", matches = ".+")
@ExtendWith(Chromium.Required.class)
@SpringBootTest(
    classes = OrchestroThreadsApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = "spring.datasource.url=jdbc:h2:mem:dashboard-screenshots;DB_CLOSE_DELAY=-1")
class DashboardScreenshots {

  @LocalServerPort int port;

  @Test
  void writeScreenshots() throws IOException {
    Path directory = Path.of(System.getProperty("orchestro.screenshots"));
    Files.createDirectories(directory);
    String running = createSampleThreads();

    try (Chromium.Browser browser = Chromium.start(1280, 800, 1)) {
      DashboardPage page = new DashboardPage(browser.driver(), port);
      showHome(page);
      save(browser, directory.resolve("list-desktop.png"));
      showThread(page, running);
      save(browser, directory.resolve("thread-desktop.png"));
    }
    try (Chromium.Browser browser = Chromium.start(390, 844, 2)) {
      DashboardPage page = new DashboardPage(browser.driver(), port);
      showHome(page);
      save(browser, directory.resolve("list-phone.png"));
      showThread(page, running);
      save(browser, directory.resolve("thread-phone.png"));
    }
  }

  /** Threads in every status, as a dashboard in use would show them; returns the running one. */
  private String createSampleThreads() {
    ApiClient api = new ApiClient(port);
    api.put(
        "/api/workflows/incident-review",
        """
        {"description": "Collect, analyse and summarise an incident", "keywords": ["incident"],
         "steps": [
          {"name": "collect", "agent": "echo", "config": {"template": "Logs and metrics for {{prompt}}"}},
          {"name": "timeline", "agent": "delay", "config": {"millis": 300}},
          {"name": "analyse", "agent": "delay", "config": {"millis": 600000}},
          {"name": "summarise", "agent": "echo", "config": {"template": "Summary: {{prompt}}"}}]}
        """);
    api.put(
        "/api/workflows/release",
        """
        {"description": "Build and publish release notes", "keywords": ["release"],
         "steps": [
          {"name": "collect", "agent": "echo", "config": {"template": "Changes for {{prompt}}"}},
          {"name": "publish", "agent": "fail", "config": {"message": "Publishing failed: the docs site answered 503 Service Unavailable"},
           "retry": {"max_attempts": 2, "backoff_millis": 100}}]}
        """);
    api.createThread("Hello! What can you do for me?", null);
    api.createThread("Write a summary report of the October board meeting", null);
    String failed = api.createThread("Publish the release notes for version 2.4", null);
    api.createThread("Research and compare the Q3 sales figures of our three regions", null);
    String paused =
        api.createThread("Review the incident with the payment provider on Monday", null);
    api.post("/api/threads/" + paused + "/pause");
    String running = api.createThread("Review the incident: checkout latency rose last week", null);
    await()
        .until(
            () ->
                "failed".equals(api.status(failed))
                    && api.thread(running).get("completed_steps").asInt() == 2
                    && api.get("/api/threads?status=completed").body().get("total").asInt() == 3);
    return running;
  }

  private static void showHome(DashboardPage page) {
    page.open("");
    page.waitFor("six threads in the list", d -> page.listedIds().size() == 6);
    page.waitFor("the needs-attention list", d -> page.isShown("#needs-attention"));
    page.waitFor("the live stream", d -> "Live".equals(page.text("#live-status")));
    page.script("document.activeElement.blur()");
  }

  private static void showThread(DashboardPage page, String id) {
    page.click(page.listItemLink(id));
    page.waitFor("the thread's steps", d -> !page.findAll("#thread-steps li").isEmpty());
    page.find("[data-step=collect] summary").click();
    page.script("document.activeElement.blur(); window.scrollTo(0, 0)");
  }

  private static void save(Chromium.Browser browser, Path file) throws IOException {
    Files.write(file, browser.driver().getScreenshotAs(OutputType.BYTES));
    assertThat(file).isNotEmptyFile();
  }
}
