package io.orchestro.threads.bootstrap;

import io.orchestro.threads.adapters.persistence.Prerequisite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The machine's own headless Chromium and chromedriver (Debian's {@code chromium} and {@code
 * chromium-driver}), both given by path so that Selenium never looks for or downloads a browser.
 * Other locations: {@code -Dorchestro.test.chromium=...} and {@code
 * -Dorchestro.test.chromedriver=...}.
 */
final class Chromium {

  static final Path BROWSER =
      Path.of(System.getProperty("orchestro.test.chromium", "/usr/bin/chromium"));
  static final Path DRIVER =
      Path.of(System.getProperty("orchestro.test.chromedriver", "/usr/bin/chromedriver"));

  private Chromium() {}

  private static final String INSTALL_HINT =
      "No Chromium for the browser test (looked for /usr/bin/chromium and /usr/bin/chromedriver,"
          + " or -Dorchestro.test.chromium and -Dorchestro.test.chromedriver)."
          + " On Debian or Ubuntu: apt-get install chromium chromium-driver";

  /**
   * Runs a test class only where Chromium is installed: otherwise it is skipped, saying how to
   * install one, or fails under {@code CI=true} ({@link Prerequisite}).
   */
  static final class Required implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      return Prerequisite.check(isInstalled(), "Chromium at " + BROWSER, () -> INSTALL_HINT);
    }
  }

  private static boolean isInstalled() {
    return Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
  }

  /** A browser whose page is this size in CSS pixels, drawn at {@code scale} device pixels each. */
  static Browser start(int width, int height, double scale) {
    Path profile;
    try {
      profile = Files.createTempDirectory("orchestro-chromium-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox", // tests run as root in CI containers
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--lang=en-US",
        "--user-data-dir=" + profile);
    // the page's own size, exactly; a window size would include what the window draws around it
    options.setExperimentalOption(
        "mobileEmulation",
        Map.of(
            "deviceMetrics",
            Map.of("width", width, "height", height, "pixelRatio", scale, "touch", false)));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(DRIVER.toFile())
            .usingAnyFreePort()
            .build();
    return new Browser(new ChromeDriver(service, options), profile);
  }

  /** A running browser; closing it quits the browser and removes its profile. */
  record Browser(ChromeDriver driver, Path profile) implements AutoCloseable {
    @Override
    public void close() {
      try {
        driver.quit();
      } finally {
        try (Stream<Path> files = Files.walk(profile)) {
          files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
          // a temporary directory left behind is harmless
        }
      }
    }
  }
}
