package io.orchestro.threads.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The dashboard's schedule page in a real headless Chromium: a schedule put through the API is
 * listed with its next run times, and a person disables and enables it there.
 */
@ExtendWith(Chromium.Required.class)
@SpringBootTest(
    classes = OrchestroThreadsApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = "spring.datasource.url=jdbc:h2:mem:schedule-page-test;DB_CLOSE_DELAY=-1")
class ScheduleDashboardBrowserTest {

  @LocalServerPort int port;

  private Chromium.Browser browser;
  private DashboardPage page;

  @BeforeEach
  void openBrowser() {
    browser = Chromium.start(1280, 800, 1);
    page = new DashboardPage(browser.driver(), port);
  }

  @AfterEach
  void closeBrowser() {
    browser.close();
  }

  @Test
  void listsSchedulesWithTheirNextRunsAndDisablesAndEnablesThem() {
    ApiClient api = new ApiClient(port);
    assertThat(
            api.put(
                    "/api/schedules/morning-report",
                    """
                    { "cron": "0 0 9 * * MON-FRI", "zone": "Europe/Paris",
                      "workflow_type": "general", "prompt": "the morning report" }
                    """)
                .status())
        .isEqualTo(201);

    page.open("#/schedules");
    String row = "tr[data-name='morning-report']";
    page.waitFor("the schedule's row", d -> page.isShown(row));
    assertThat(page.text(row + " code")).isEqualTo("0 0 9 * * MON-FRI");
    assertThat(page.findAll(row + " .next-runs time")).hasSize(3);
    assertThat(page.text(row + " .schedule-state")).isEqualTo("Enabled");

    page.click(row + " button[data-schedule]");
    page.waitFor(
        "Disabled on the page", d -> "Disabled".equals(page.text(row + " .schedule-state")));
    assertThat(api.get("/api/schedules/morning-report").body().get("enabled").asBoolean())
        .isFalse();
    assertThat(page.text(row + " td:nth-of-type(3)")).isEqualTo("none while disabled");

    page.click(row + " button[data-schedule]");
    page.waitFor("Enabled on the page", d -> "Enabled".equals(page.text(row + " .schedule-state")));
    assertThat(api.get("/api/schedules/morning-report").body().get("enabled").asBoolean()).isTrue();
  }
}
