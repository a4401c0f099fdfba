package io.orchestro.threads.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard's overview in a real headless Chromium: counts per status that filter, the failed
 * threads that need attention, filters in the URL, a burst of events that costs a few requests
 * only, and a dropped connection that is shown and turns the controls off. Skipped, saying how to
 * install one, when the machine has no Chromium; under {@code CI=true} that is a failure instead.
 */
@SpringBootTest(
    classes = OrchestroThreadsApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = "spring.datasource.url=jdbc:h2:mem:dashboard-overview-test;DB_CLOSE_DELAY=-1")
class DashboardOverviewBrowserTest extends BrowserTestBase {

  @Test
  void tilesCountEachStatusAndFilterTheListAndTheFailedThreadsNeedAttention() {
    api()
        .put(
            "/api/workflows/always-fails",
            """
            {"description": "Fails", "keywords": [],
             "steps": [{"name": "try", "agent": "fail", "config": {"message": "no luck today"}}]}
            """);
    String failing = api().createThread("Try the impossible", "always-fails");
    String paused = api().createThread("Wait for me", null);
    api().post("/api/threads/" + paused + "/pause");
    api().awaitStatus(failing, "failed");

    page.open("");
    JsonNode counts = api().get("/api/threads/counts").body();
    page.waitFor(
        "the tiles to show the API's counts",
        d ->
            counts.get("total").asString().equals(page.text(".tile[data-status=all] .tile-count")));
    for (String status : new String[] {"pending", "running", "paused", "completed", "failed"}) {
      assertThat(page.text(".tile[data-status=" + status + "] .tile-count"))
          .as(status)
          .isEqualTo(counts.get("by_status").get(status).asString());
    }
    assertThat(page.text(".tile[data-status=failed] .tile-count")).isEqualTo("1");

    // the failed thread is named at the top with its reason
    page.waitFor("the needs-attention section", d -> page.isShown("#needs-attention"));
    assertThat(page.text("#attention-items [data-thread-id='" + failing + "']"))
        .contains("Try the impossible")
        .contains("no luck today");

    page.click(".tile[data-status=failed]");
    page.waitFor("the failed threads only", d -> page.listedIds().equals(List.of(failing)));
    assertThat(browser.driver().getCurrentUrl()).endsWith("#/?status=failed");
    assertThat(page.find(".tile[data-status=failed]").getDomAttribute("aria-current"))
        .isEqualTo("true");
    assertThat(new Select(page.find("#status-filter")).getFirstSelectedOption().getText())
        .isEqualTo("Failed");

    // the workflow-type filter narrows the list and the counts, and the URL keeps both filters
    page.click(".tile[data-status=all]");
    page.waitFor(
        "the type filter's choices",
        d -> !page.findAll("#type-filter option[value=always-fails]").isEmpty());
    new Select(page.find("#type-filter")).selectByValue("always-fails");
    page.waitFor("the one thread of that type", d -> page.listedIds().equals(List.of(failing)));
    page.waitFor(
        "counts of that type only",
        d -> "1".equals(page.text(".tile[data-status=all] .tile-count")));
    assertThat(browser.driver().getCurrentUrl()).endsWith("#/?type=always-fails");

    // the text search narrows the list and the counts as well, and is in the URL too
    new Select(page.find("#type-filter")).selectByValue("");
    page.find("#search").sendKeys("IMPOSSIBLE");
    page.waitFor(
        "the one thread whose prompt says so",
        d ->
            page.listedIds().equals(List.of(failing))
                && "1".equals(page.text(".tile[data-status=all] .tile-count")));
    assertThat(browser.driver().getCurrentUrl()).endsWith("#/?q=IMPOSSIBLE");
    assertThat(page.text(".tile[data-status=failed] .tile-count")).isEqualTo("1");

    // a URL with filters opens the view it names
    page.open("#/?status=paused&type=general");
    page.waitFor("the paused general threads", d -> page.listedIds().equals(List.of(paused)));
    assertThat(new Select(page.find("#status-filter")).getFirstSelectedOption().getText())
        .isEqualTo("Paused");
    assertThat(new Select(page.find("#type-filter")).getFirstSelectedOption().getText())
        .isEqualTo("general");
  }

  @Test
  void aBurstOfCreatesCostsAboutOneListRequestPerSecond() {
    page.open("");
    page.waitFor("the live stream", d -> "Live".equals(page.text("#live-status")));
    page.waitFor("the first list", d -> page.text("#thread-count") != null);
    page.script(
        "performance.setResourceTimingBufferSize(10000); performance.clearResourceTimings()");
    int before = api().get("/api/threads/counts").body().get("total").asInt();

    long started = System.nanoTime();
    for (int i = 0; i < 100; i++) {
      api().createThread("Burst number " + i, null);
    }
    page.waitFor(
        "the list to count all of them",
        d -> ("(" + (before + 100) + ")").equals(page.text("#thread-count")));
    double seconds = (System.nanoTime() - started) / 1e9;

    Map<String, Long> requests = requestsSoFar();
    // one request per second of the burst, one at its start and one after its end, at most
    long bound = (long) Math.ceil(seconds) + 2;
    assertThat(requests.get("list"))
        .as("list requests in %.1f s", seconds)
        .isLessThanOrEqualTo(bound);
    assertThat(requests.get("counts"))
        .as("count requests in %.1f s", seconds)
        .isLessThanOrEqualTo(bound);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Long> requestsSoFar() {
    return (Map<String, Long>)
        page.script(
            "const urls = performance.getEntriesByType('resource').map(e => new URL(e.name));"
                + " return {"
                + "  list: urls.filter(u => u.pathname === '/api/threads'"
                + "    && u.searchParams.get('size') === '50').length,"
                + "  counts: urls.filter(u => u.pathname === '/api/threads/counts').length };");
  }

  @Test
  void aDroppedConnectionIsShownAndTurnsTheControlsOffUntilItIsBack() {
    api().putDelayWorkflow("slow-three", 3, 400);
    String id = api().createThread("Count slowly to three", "slow-three");
    api().post("/api/threads/" + id + "/pause");
    api().awaitStatus(id, "paused");

    try (TcpRelay relay = new TcpRelay(port)) {
      DashboardPage relayed = new DashboardPage(browser.driver(), relay.port());
      relayed.open("#/threads/" + id);
      relayed.waitFor("the live stream", d -> "Live".equals(relayed.text("#live-status")));
      relayed.waitFor("Resume to be offered", d -> relayed.isEnabled("resume"));
      assertThat(relayed.isShown("#connection-banner")).isFalse();

      relay.cut();
      relayed.waitFor("the disconnected banner", d -> relayed.isShown("#connection-banner"));
      assertThat(relayed.text("#connection-banner")).startsWith("Disconnected");
      assertThat(relayed.isEnabled("resume")).as("no action while disconnected").isFalse();
      assertThat(relayed.isEnabled("delete")).isFalse();

      relay.restore();
      relayed.waitFor("the banner to go", d -> !relayed.isShown("#connection-banner"));
      relayed.waitFor("Resume back", d -> relayed.isEnabled("resume"));
      assertThat(relayed.isEnabled("pause")).as("still follows allowed_actions").isFalse();
      relayed.action("resume").click();
      relayed.waitFor("the thread to complete", d -> "Completed".equals(relayed.threadStatus()));
    }
  }

  @Test
  void threadsTickedByHandOrAllMatchingTheFilterChangeTogether() {
    // one long wait each: the threads stay running (parked) until paused or deleted
    api().putDelayWorkflow("bulk-slow", 1, 600_000);
    StringBuilder batch = new StringBuilder("{\"threads\": [");
    for (int i = 0; i < 52; i++) {
      batch
          .append(i == 0 ? "" : ",")
          .append("{\"prompt\": \"Bulk number ")
          .append(i)
          .append("\", \"workflow_type\": \"bulk-slow\"}");
    }
    assertThat(api().post("/api/threads/batch", batch.append("]}").toString()).status())
        .isEqualTo(200);

    page.open("#/?type=bulk-slow");
    page.waitFor("a full first page", d -> page.listedIds().size() == 50);
    List<String> shown = page.listedIds();
    page.click(page.listItem(shown.get(0)) + " .row-select");
    page.click(page.listItem(shown.get(1)) + " .row-select");
    page.waitFor("two selected", d -> "2 selected.".equals(page.text("#bulk-summary")));
    page.click("#bulk-pause");
    page.waitFor("the bulk call's answer", d -> page.text(".notice-success") != null);
    assertThat(page.text(".notice-success")).contains("Paused 2 of 2");
    api().awaitStatus(shown.get(0), "paused");
    api().awaitStatus(shown.get(1), "paused");
    assertThat(api().status(shown.get(2))).isNotEqualTo("paused");

    // the whole page, then every thread matching the filter, also those on the next page
    page.click("#select-page");
    page.waitFor(
        "the offer to select all 52",
        d -> "Select all 52 matching this filter".equals(page.text("#select-all-matching")));
    page.click("#select-all-matching");
    assertThat(page.text("#bulk-summary")).startsWith("All 52 threads matching this filter");
    page.click("#bulk-delete");
    page.waitFor("the confirmation dialog", d -> page.isShown("#confirm-dialog"));
    page.find("#confirm-ok").click();
    page.waitFor("an empty list", d -> page.listedIds().isEmpty());
    assertThat(api().get("/api/threads?workflow_type=bulk-slow&size=1").body().get("total").asInt())
        .isZero();
  }
}
