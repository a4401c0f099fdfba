package io.orchestro.threads.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.orchestro.threads.adapters.webhooks.WebhookReceiver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import tools.jackson.databind.JsonNode;

/**
 * The web dashboard in a real headless Chromium against the whole application: a person starts a
 * workflow, watches it advance, pauses, resumes and deletes threads, and sees the list follow
 * changes made elsewhere, all without reloading the page. Skipped, saying how to install one, when
 * the machine has no Chromium; under {@code CI=true} that is a failure instead.
 */
@SpringBootTest(
    classes = OrchestroThreadsApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:dashboard-test;DB_CLOSE_DELAY=-1",
      // the webhook receiver listens on this machine
      "orchestro.egress.allow=127.0.0.1"
    })
class DashboardBrowserTest extends BrowserTestBase {

  /**
   * Six steps of 1.2 s: slow enough to watch the bar move, and to pause mid-way and resume even on
   * a machine so busy that each look at the browser takes a few hundred milliseconds.
   */
  private static final int SLOW_STEPS = 6;

  private static final int SLOW_STEP_MILLIS = 1200;

  @Test
  void startsAWorkflowWatchesItAdvanceAndPausesAndResumesIt() {
    assertThat(api().putDelayWorkflow("slow-six", SLOW_STEPS, SLOW_STEP_MILLIS).status())
        .isIn(200, 201);
    page.open("#/new");
    page.markDocument();

    page.startWorkflow("Count slowly to six", "slow-six");

    String id = page.openThreadId();
    page.waitFor(
        "the new thread's title",
        d -> "Workflow - Count slowly to six".equals(page.text("#thread-title")));

    // the bar moves through values between empty and full while the page stays as it is
    Set<Integer> between = new TreeSet<>();
    page.waitFor(
        () -> "the progress bar to show two values between 0 and 6; seen: " + between,
        d -> {
          int done = page.progressValue();
          if (done > 0 && done < SLOW_STEPS) {
            between.add(done);
          }
          return between.size() >= 2;
        });
    assertThat(page.progressText()).matches("[1-5]/6.*");
    // the buttons follow the thread's allowed_actions: resuming a running thread changes nothing
    assertThat(page.threadStatus()).isEqualTo("Running");
    assertThat(page.isEnabled("pause")).isTrue();
    assertThat(page.isEnabled("resume")).as("a running thread cannot be resumed").isFalse();
    assertThat(page.isEnabled("retry")).isFalse();
    assertThat(page.isEnabled("delete")).isTrue();

    page.action("pause").click();
    page.waitFor("the Paused badge", d -> "Paused".equals(page.threadStatus()));
    page.waitFor("the Resume button", d -> page.isEnabled("resume"));
    assertThat(page.isEnabled("pause")).as("pausing a paused thread changes nothing").isFalse();
    assertThat(page.isEnabled("retry")).as("only a failed thread can be retried").isFalse();
    assertThat(page.isEnabled("delete")).isTrue();
    // once the step in flight is recorded the pause has settled: the page shows the same count
    await().until(() -> !hasRunningStep(api().thread(id)));
    int settled = api().thread(id).get("completed_steps").asInt();
    assertThat(settled).isLessThan(SLOW_STEPS);
    page.waitFor(
        "the settled pause on the page",
        d ->
            page.progressValue() == settled
                && page.text("[data-step][data-status=running]") == null);

    page.action("resume").click();
    page.waitFor("the Completed badge", d -> "Completed".equals(page.threadStatus()));
    page.waitFor("a full progress bar", d -> page.progressValue() == SLOW_STEPS);
    assertThat(page.progressText()).isEqualTo("6/6");
    assertThat(page.isEnabled("pause")).isFalse();
    assertThat(page.isEnabled("resume")).isFalse();
    assertThat(page.isEnabled("retry")).isFalse();
    // back on the overview, the list shows it as it is now
    page.click(".back-link");
    page.waitFor("Completed in the list", d -> "Completed".equals(page.listStatus(id)));
    assertThat(page.isSameDocument()).as("the page never reloaded").isTrue();
  }

  @Test
  void everythingWorksFromTheKeyboard() {
    assertThat(api().putDelayWorkflow("slow-six", SLOW_STEPS, SLOW_STEP_MILLIS).status())
        .isIn(200, 201);
    page.open("#/new");
    page.waitFor("the workflow types", d -> page.findAll("#workflow-type option").size() > 1);
    assertThat(page.focused()).as("the prompt box has the focus at first").isEqualTo("prompt");

    page.press("Count to six with the keyboard");
    assertThat(page.tabTo("workflow-type")).isTrue();
    for (int i = 0; i < 10 && !"slow-six".equals(selectedWorkflowType()); i++) {
      page.press(Keys.ARROW_DOWN);
    }
    assertThat(selectedWorkflowType()).isEqualTo("slow-six");
    assertThat(page.tabTo("start-button")).isTrue();
    page.press(Keys.ENTER);

    String id = page.openThreadId();
    page.waitFor("the thread page to take the focus", d -> "thread-title".equals(page.focused()));
    assertThat(page.tabTo("action-pause")).isTrue();
    page.press(Keys.ENTER);
    page.waitFor("the Paused badge", d -> "Paused".equals(page.threadStatus()));

    assertThat(page.tabTo("action-delete")).isTrue();
    page.press(Keys.ENTER);
    page.waitFor("the confirmation dialog", d -> page.isShown("#confirm-dialog"));
    assertThat(page.focused()).as("the safe choice has the focus").isEqualTo("confirm-cancel");
    page.press(Keys.ESCAPE);
    page.waitFor("the dialog to close", d -> !page.isShown("#confirm-dialog"));
    assertThat(page.focused()).isEqualTo("action-delete");
    assertThat(api().status(id)).isEqualTo("paused");
  }

  private String selectedWorkflowType() {
    return String.valueOf(page.script("return document.getElementById('workflow-type').value"));
  }

  @Test
  void theListFollowsThreadsCreatedAndDeletedElsewhereAndDeletesAfterConfirming() {
    page.open("");
    page.markDocument();
    page.waitFor(
        "the stream of all events to connect", d -> "Live".equals(page.text("#live-status")));

    String kept = api().createThread("Research the harbour traffic", null);
    String deletedHere = api().createThread("Write a report on harbour fees", null);
    page.waitFor(
        "threads created by the API to appear in the list",
        d -> page.listShows(kept) && page.listShows(deletedHere));
    assertThat(page.listedIds().indexOf(deletedHere))
        .as("newest first")
        .isLessThan(page.listedIds().indexOf(kept));

    page.click(page.listItemLink(deletedHere));
    page.waitFor(
        "the thread page",
        d -> "Workflow - Write a report on harbour fees".equals(page.text("#thread-title")));
    page.waitFor("the delete button", d -> page.isEnabled("delete"));

    // the first time the person changes their mind
    page.action("delete").click();
    page.waitFor("the confirmation dialog", d -> page.isShown("#confirm-dialog"));
    assertThat(page.text("#confirm-message")).contains("Write a report on harbour fees");
    page.find("#confirm-cancel").click();
    page.waitFor("the dialog to close", d -> !page.isShown("#confirm-dialog"));
    assertThat(api().get("/api/threads/" + deletedHere).status()).isEqualTo(200);

    page.action("delete").click();
    page.waitFor("the confirmation dialog", d -> page.isShown("#confirm-dialog"));
    page.find("#confirm-ok").click();
    page.waitFor("the home page", d -> d.getCurrentUrl().endsWith("#/"));
    page.waitFor("the deleted thread to leave the list", d -> !page.listShows(deletedHere));
    assertThat(api().get("/api/threads/" + deletedHere).status()).isEqualTo(404);
    assertThat(page.text(".notice-success")).contains("Deleted");

    // a delete made elsewhere reaches the list by itself
    assertThat(api().delete("/api/threads/" + kept).status()).isEqualTo(204);
    page.waitFor("the thread deleted by the API to leave the list", d -> !page.listShows(kept));
    assertThat(page.isSameDocument()).as("the page never reloaded").isTrue();
  }

  @Test
  void pagesThroughThousandsOfThreadsAndFiltersByStatus() {
    assertThat(
            api()
                .put(
                    "/api/workflows/always-fails",
                    """
                    {"description": "Fails", "keywords": [],
                     "steps": [{"name": "try", "agent": "fail", "config": {"message": "no luck"}}]}
                    """)
                .status())
        .isIn(200, 201);
    String failing = api().createThread("Try once", "always-fails");
    for (int i = 0; i < 55; i++) {
      api().createThread("Thread number " + i, null);
    }
    api().awaitStatus(failing, "failed");
    int total = api().get("/api/threads?size=1").body().get("total").asInt();

    page.open("");
    page.waitFor("a full first page", d -> page.listedIds().size() == 50);
    assertThat(page.text("#page-range")).isEqualTo("1–50 of " + total);
    assertThat(page.isShown("#page-newer")).isTrue();
    page.find("#page-older").click();
    page.waitFor(
        "the second page",
        d -> ("51–" + Math.min(100, total) + " of " + total).equals(page.text("#page-range")));
    assertThat(page.listedIds()).hasSize(Math.min(50, total - 50));
    assertThat(browser.driver().getCurrentUrl()).as("the page is in the URL").endsWith("#/?page=2");

    new Select(page.find("#status-filter")).selectByVisibleText("Failed");
    int failed = api().get("/api/threads?status=failed&size=1").body().get("total").asInt();
    page.waitFor(
        "the failed threads only",
        d -> ("1–" + failed + " of " + failed).equals(page.text("#page-range")));
    assertThat(page.listedIds()).contains(failing);
    assertThat(page.findAll("#thread-items tr"))
        .hasSize(failed)
        .allSatisfy(item -> assertThat(item.getDomAttribute("data-status")).isEqualTo("failed"));
    assertThat(page.text(page.listItem(failing) + " .badge")).isEqualTo("Failed");

    // the thread page shows why it failed and offers a retry, and nothing else but delete
    page.click(page.listItemLink(failing));
    page.waitFor("the thread's error", d -> page.isShown("#thread-error"));
    assertThat(page.text("#thread-error")).contains("no luck");
    assertThat(page.text("[data-step=try] .step-error")).contains("no luck");
    assertThat(page.isEnabled("retry")).isTrue();
    assertThat(page.isEnabled("pause")).isFalse();
    assertThat(page.isEnabled("resume")).isFalse();
  }

  @Test
  void cancelStopsARunningThreadAndKeepsItFailedForARetry() {
    // one long wait: the thread stays running until it is cancelled
    assertThat(api().putDelayWorkflow("long-wait", 1, 600_000).status()).isIn(200, 201);
    String id = api().createThread("Wait for a long time", "long-wait");
    api().awaitStatus(id, "running");

    page.open("#/threads/" + id);
    page.waitFor("Cancel to be offered", d -> page.isEnabled("cancel"));
    assertThat(page.text("#action-cancel")).isEqualTo("Cancel thread");
    page.action("cancel").click();

    page.waitFor("the Failed badge", d -> "Failed".equals(page.threadStatus()));
    page.waitFor("the reason", d -> page.isShown("#thread-error"));
    assertThat(page.text("#thread-error")).contains("cancelled");
    page.waitFor("Retry to be offered", d -> page.isEnabled("retry"));
    assertThat(page.isEnabled("cancel")).as("a failed thread cannot be cancelled").isFalse();
    assertThat(page.isEnabled("pause")).isFalse();
    JsonNode cancelled = api().thread(id);
    assertThat(cancelled.get("status").asString()).isEqualTo("failed");
    assertThat(cancelled.get("error_message").asString()).isEqualTo("cancelled");
  }

  @Test
  void onAWideScreenTheListIsACompactTableWithLongTitlesClippedByCss() {
    // 200 characters, the most a title may have
    String longTitle =
        ("A title as long as the service takes" + ", and then some more".repeat(9))
                .substring(0, 199)
            + ".";
    String longOne =
        api()
            .post(
                "/api/threads",
                "{\"prompt\": \"Summarise the minutes\", \"title\": \"" + longTitle + "\"}")
            .body()
            .get("thread_id")
            .asString();
    String shortOne = api().createThread("Short", null);

    page.open("");
    page.waitFor("both threads", d -> page.listShows(longOne) && page.listShows(shortOne));
    Map<String, Object> longRow = titleLayout(longOne);
    Map<String, Object> shortRow = titleLayout(shortOne);
    assertThat(longRow.get("header"))
        .as("a table with its header row")
        .isEqualTo("table-header-group");
    assertThat(longRow.get("text")).as("the whole title is in the page").isEqualTo(longTitle);
    assertThat(longRow.get("overflow")).isEqualTo("ellipsis");
    assertThat(longRow.get("clipped")).as("cut by the column's width").isEqualTo(true);
    assertThat(((Number) longRow.get("rowHeight")).doubleValue())
        .as("one line, as high as a short title's row")
        .isCloseTo(((Number) shortRow.get("rowHeight")).doubleValue(), within(1.0));
    assertThat(api().thread(longOne).get("title").asString()).isEqualTo(longTitle);

    // the thread's own heading has the room for all of it
    page.click(page.listItemLink(longOne));
    page.waitFor("the whole title as heading", d -> longTitle.equals(page.text("#thread-title")));
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> titleLayout(String threadId) {
    return (Map<String, Object>)
        page.script(
            "const title = document.querySelector(arguments[0]);"
                + " return { text: title.textContent,"
                + "  clipped: title.scrollWidth > title.clientWidth,"
                + "  overflow: getComputedStyle(title).textOverflow,"
                + "  rowHeight: title.closest('tr').getBoundingClientRect().height,"
                + "  header: getComputedStyle(document.querySelector('.thread-table thead')).display };",
            page.listItem(threadId) + " .thread-title");
  }

  @Test
  void theApiDocsLinkOpensTheApiDocumentation() {
    page.open("");
    String href = page.find("header a[href='/swagger-ui.html']").getDomProperty("href");
    assertThat(page.text("header a[href='/swagger-ui.html']")).isEqualTo("API docs");

    browser.driver().get(href);
    page.waitFor(
        "Swagger UI showing the service's API",
        d ->
            Boolean.TRUE.equals(
                page.script(
                    "return document.querySelectorAll('.swagger-ui .opblock').length > 0"
                        + " && document.querySelector('.swagger-ui').innerText"
                        + ".includes('/api/threads')")));
  }

  @Test
  void unknownAndMalformedAddressesGetANotFoundPageAndTheFormExplainsItself() {
    String unknown = UUID.randomUUID().toString();
    for (String id : new String[] {unknown, "not-a-thread-id", "%E0%A4%A"}) {
      page.open("#/threads/" + id);

      page.waitFor("the not-found message for " + id, d -> page.isShown(".missing [role=alert]"));
      assertThat(page.text(".missing [role=alert]")).startsWith("There is no thread with the id");
      assertThat(page.text("#thread-title")).isEqualTo("Thread not found");
      assertThat(page.isEnabled("delete")).isFalse();
      assertThat(page.findAll(".thread-body:not([hidden]), .notice")).isEmpty();
    }
    assertThat(page.text(".missing [role=alert]")).contains("%E0%A4%A");

    page.open("#/no/such/page");
    page.waitFor("the page-not-found message", d -> page.isShown(".missing [role=alert]"));
    assertThat(page.text("h1")).isEqualTo("Page not found");

    page.open("#/new");
    page.find("#start-button").click();
    page.waitFor("the form's error", d -> page.isShown("#start-error"));
    assertThat(page.text("#start-error")).isEqualTo("Write a prompt first.");
    assertThat(page.find("#prompt").getDomAttribute("aria-invalid")).isEqualTo("true");
  }

  @Test
  void theTimelineNumbersEachAttemptAndTheDurationLeavesOutTimePaused() {
    api()
        .put(
            "/api/workflows/flaky",
            """
            {"description": "Waits, then fails once", "keywords": [],
             "steps": [{"name": "wait", "agent": "delay", "config": {"millis": 500}},
                       {"name": "flaky", "agent": "fail", "config": {"times": 1, "message": "not yet"},
                        "retry": {"max_attempts": 2, "backoff_millis": 0}}]}
            """);
    String id = api().createThread("Try twice", "flaky");
    api().awaitStatus(id, "running");
    api().post("/api/threads/" + id + "/pause");
    api().awaitStatus(id, "paused");
    Instant pausedAt = Instant.now();
    // time passes while it is paused: that is what the duration must leave out
    await()
        .pollDelay(Duration.ofMillis(2500))
        .until(() -> Duration.between(pausedAt, Instant.now()).toMillis() >= 2500);
    api().post("/api/threads/" + id + "/resume");
    api().awaitStatus(id, "completed");

    page.open("#/threads/" + id);
    page.waitFor(
        "the whole timeline",
        d -> page.text("#thread-timeline li[data-type=thread_completed]") != null);
    assertThat(page.text("#thread-timeline"))
        .contains("Paused")
        .contains("Resumed")
        .contains("Step “flaky”, attempt 1: failed")
        .contains("Step “flaky”, attempt 2: completed");
    JsonNode thread = api().thread(id);
    long wallClock =
        Duration.between(
                Instant.parse(thread.get("start_time").asString()),
                Instant.parse(thread.get("finished_at").asString()))
            .toMillis();
    assertThat(wallClock).isGreaterThan(2500);
    assertThat(durationMillis(page.text("#thread-duration")))
        .as("shown %s, from start to finish %d ms", page.text("#thread-duration"), wallClock)
        .isLessThan(wallClock - 2000);
  }

  /** The page's "850 ms" or "1.2 s" in milliseconds. */
  private static long durationMillis(String shown) {
    if (shown.endsWith(" ms")) {
      return Long.parseLong(shown.replace(" ms", ""));
    }
    return Math.round(Double.parseDouble(shown.replace(" s", "")) * 1000);
  }

  @Test
  void workflowDefinitionsCanBeReadAndEditedWithTheServicesOwnChecks() {
    assertThat(api().putDelayWorkflow("editable", 2, 10).status()).isIn(200, 201);
    int version = api().get("/api/workflows/editable").body().get("version").asInt();

    page.open("#/workflows");
    page.click("#workflow-items [data-type=editable] a");
    page.waitFor("the definition's editor", d -> page.isShown("#workflow-editor"));
    assertThat(page.text("#workflow-version")).isEqualTo("version " + version);
    assertThat(page.findAll("#workflow-steps [data-step]")).hasSize(2);

    replaceEditorText("{ not json");
    page.click("#workflow-save");
    page.waitFor("the JSON error", d -> page.isShown("#workflow-error"));
    assertThat(page.text("#workflow-error")).startsWith("This is not valid JSON");

    replaceEditorText(
        "{\"steps\": [{\"name\": \"a\", \"agent\": \"no-such-agent\", \"config\": {}}]}");
    page.click("#workflow-save");
    page.waitFor(
        "the service's explanation", d -> page.text("#workflow-error").contains("no-such-agent"));
    assertThat(page.find("#workflow-editor").getDomAttribute("aria-invalid")).isEqualTo("true");
    assertThat(api().get("/api/workflows/editable").body().get("version").asInt())
        .isEqualTo(version);

    replaceEditorText(
        "{\"description\": \"Edited in the dashboard\", \"steps\": [{\"name\": \"only\","
            + " \"agent\": \"echo\", \"config\": {}}]}");
    page.click("#workflow-save");
    page.waitFor(
        "the new version",
        d -> ("version " + (version + 1)).equals(page.text("#workflow-version")));
    assertThat(page.isShown("#workflow-error")).isFalse();
    assertThat(api().get("/api/workflows/editable").body().get("description").asString())
        .isEqualTo("Edited in the dashboard");
  }

  private void replaceEditorText(String text) {
    page.script("document.getElementById('workflow-editor').value = arguments[0]", text);
  }

  @Test
  void theWebhooksPageShowsEachWebhookAndItsDeliveries() {
    try (WebhookReceiver receiver = WebhookReceiver.start("a secret for the page")) {
      String webhook =
          api()
              .post(
                  "/api/webhooks",
                  "{\"url\": \""
                      + receiver.url()
                      + "\", \"event_types\": [\"thread_created\"],"
                      + " \"secret\": \"a secret for the page\"}")
              .body()
              .get("webhook_id")
              .asString();
      String thread = api().createThread("Announce me", null);
      await().until(() -> receiver.count() >= 1);

      page.open("#/webhooks");
      String card = "[data-webhook-id='" + webhook + "']";
      page.waitFor("the webhook", d -> page.isShown(card));
      assertThat(page.text(card + " .webhook-url")).isEqualTo(receiver.url().toString());
      assertThat(page.text(card)).contains("Up to date").contains("thread_created");
      page.click(card + " summary");
      page.waitFor("its delivery", d -> page.isShown(card + " tr[data-status=delivered]"));
      assertThat(page.text(card + " tr[data-status=delivered]")).contains("thread_created");
      assertThat(page.find(card + " tr[data-status=delivered] a").getDomAttribute("href"))
          .isEqualTo("#/threads/" + thread);
    }
  }

  @Test
  void followsTheSystemsDarkMode() {
    page.open("");
    String light =
        String.valueOf(
            page.script("return getComputedStyle(document.documentElement).backgroundColor"));
    browser
        .driver()
        .executeCdpCommand(
            "Emulation.setEmulatedMedia",
            Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
    String dark =
        String.valueOf(
            page.script("return getComputedStyle(document.documentElement).backgroundColor"));
    assertThat(dark).isEqualTo("rgb(15, 20, 27)").isNotEqualTo(light);
  }

  private static boolean hasRunningStep(JsonNode thread) {
    for (JsonNode step : thread.get("steps")) {
      if ("running".equals(step.get("status").asString())) {
        return true;
      }
    }
    return false;
  }
}
