package io.orchestro.threads.bootstrap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A desktop-sized headless Chromium for each test, on the dashboard of the application the subclass
 * starts (with {@code @SpringBootTest} on a random port); only where Chromium is installed ({@link
 * Chromium.Required}).
 */
@ExtendWith(Chromium.Required.class)
abstract class BrowserTestBase {

  @LocalServerPort int port;

  Chromium.Browser browser;
  DashboardPage page;

  @BeforeEach
  void openBrowser() {
    browser = Chromium.start(1280, 800, 1);
    page = new DashboardPage(browser.driver(), port);
  }

  @AfterEach
  void closeBrowser() {
    browser.close();
  }

  ApiClient api() {
    return new ApiClient(port);
  }
}
