package io.orchestro.threads.bootstrap;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A desktop-sized headless Chromium, on the dashboard of the application the subclass starts (with
 * {@code @SpringBootTest} on a random port); only where Chromium is installed ({@link
 * Chromium.Required}).
 *
 * <p>One browser serves all tests of a class, since starting Chromium is the slow part of a short
 * browser test; each test still gets what a new browser would give it: a new tab (so an empty
 * sessionStorage, the only place the dashboard keeps anything), no cookies and no cached responses.
 */
@ExtendWith(Chromium.Required.class)
abstract class BrowserTestBase {

  private static Chromium.Browser shared;

  @LocalServerPort int port;

  Chromium.Browser browser;
  DashboardPage page;

  @BeforeEach
  void openBrowser() {
    if (shared == null) {
      shared = Chromium.start(1280, 800, 1);
    } else {
      freshTab(shared.driver());
    }
    browser = shared;
    page = new DashboardPage(browser.driver(), port);
  }

  @AfterAll
  static void closeBrowser() {
    if (shared != null) {
      try {
        shared.close();
      } finally {
        shared = null;
      }
    }
  }

  /**
   * Opens a new tab, closes every other one, and forgets the cookies and cache of earlier tests.
   */
  private static void freshTab(ChromeDriver driver) {
    String fresh = driver.switchTo().newWindow(WindowType.TAB).getWindowHandle();
    for (String handle : driver.getWindowHandles()) {
      if (!handle.equals(fresh)) {
        WebDriver other = driver.switchTo().window(handle);
        other.close();
      }
    }
    driver.switchTo().window(fresh);
    driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
    driver.executeCdpCommand("Network.clearBrowserCache", Map.of());
    // the page size is set when the browser starts; a tab that did not get it would be a phone
    Object width = driver.executeScript("return window.innerWidth");
    if (!Long.valueOf(1280).equals(width)) {
      throw new IllegalStateException("the new tab is " + width + " pixels wide, not 1280");
    }
  }

  ApiClient api() {
    return new ApiClient(port);
  }
}
