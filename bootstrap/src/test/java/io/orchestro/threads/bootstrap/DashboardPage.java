package io.orchestro.threads.bootstrap;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard as a person sees it in the browser: what is shown is read from the page, actions
 * are clicks and key presses. State is read with small scripts so that a part re-drawn by a live
 * update between finding and reading it does not fail the read.
 */
final class DashboardPage {

  private final WebDriver driver;
  private final String base;
  private final WebDriverWait wait;

  DashboardPage(WebDriver driver, int port) {
    this.driver = driver;
    this.base = "http://127.0.0.1:" + port + "/";
    this.wait = new WebDriverWait(driver, Duration.ofSeconds(20), Duration.ofMillis(40));
    wait.ignoring(StaleElementReferenceException.class);
  }

  void open(String route) {
    driver.get(base + route);
    waitFor("the dashboard to start", d -> script("return document.body.dataset.route") != null);
  }

  /** Waits until the condition holds (is non-null and not false); a timeout names {@code what}. */
  <T> T waitFor(String what, Function<WebDriver, T> condition) {
    return waitFor(() -> what, condition);
  }

  <T> T waitFor(Supplier<String> what, Function<WebDriver, T> condition) {
    return wait.withMessage(what).until(condition);
  }

  Object script(String code, Object... arguments) {
    return ((JavascriptExecutor) driver).executeScript(code, arguments);
  }

  WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  /**
   * Clicks the element, finding it again when a live update re-drew it between finding and clicking
   * (the list does so on every event of a thread it shows).
   */
  void click(String css) {
    waitFor(
        "to click " + css,
        d -> {
          find(css).click();
          return true;
        });
  }

  List<WebElement> findAll(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  String text(String css) {
    Object text = script("return document.querySelector(arguments[0])?.textContent ?? null", css);
    return text == null ? null : text.toString().trim();
  }

  boolean isShown(String css) {
    return Boolean.TRUE.equals(
        script(
            "const e = document.querySelector(arguments[0]);"
                + " return !!e && e.checkVisibility();",
            css));
  }

  /** Marks the loaded document; the mark survives everything but a reload. */
  void markDocument() {
    script("window.loadedOnce = true");
  }

  boolean isSameDocument() {
    return Boolean.TRUE.equals(script("return window.loadedOnce === true"));
  }

  /** The id of the element that has the keyboard focus. */
  String focused() {
    return String.valueOf(script("return document.activeElement?.id ?? ''"));
  }

  /** Presses keys where the focus is, as a person at the keyboard would. */
  void press(CharSequence... keys) {
    new Actions(driver).sendKeys(keys).perform();
  }

  /** Presses Tab until the element with this id has the focus; false when it never gets it. */
  boolean tabTo(String id) {
    for (int i = 0; i < 20 && !id.equals(focused()); i++) {
      press(Keys.TAB);
    }
    return id.equals(focused());
  }

  // ---- the start page ----

  void startWorkflow(String prompt, String workflowType) {
    find("#prompt").sendKeys(prompt);
    if (workflowType != null) {
      waitFor(
          "workflow type " + workflowType + " to be offered",
          d -> !findAll("#workflow-type option[value='" + workflowType + "']").isEmpty());
      new Select(find("#workflow-type")).selectByValue(workflowType);
    }
    find("#start-button").click();
  }

  /** The id of the thread whose page is open, once one is. */
  String openThreadId() {
    return waitFor(
        "a thread page to open",
        d -> {
          String url = d.getCurrentUrl();
          return url.matches(".*#/threads/[0-9a-f-]{36}$")
              ? url.substring(url.lastIndexOf('/') + 1)
              : null;
        });
  }

  // ---- thread page ----

  String threadStatus() {
    return text("#thread-status .badge");
  }

  /** The thread page's progress bar: completed steps, or -1 while it is not drawn. */
  int progressValue() {
    Object value =
        script(
            "return document.querySelector('#thread-progress [role=progressbar]')"
                + "?.getAttribute('aria-valuenow') ?? null");
    return value == null ? -1 : Integer.parseInt(value.toString());
  }

  String progressText() {
    return text("#thread-progress .progress-text");
  }

  WebElement action(String name) {
    return find("#action-" + name);
  }

  /** Whether a person could press the button: neither it nor the page's controls are disabled. */
  boolean isEnabled(String action) {
    return isUsable("#action-" + action);
  }

  boolean isUsable(String css) {
    return Boolean.FALSE.equals(
        script("return document.querySelector(arguments[0]).matches(':disabled')", css));
  }

  // ---- the list ----

  String listItem(String threadId) {
    return "#thread-items [data-thread-id='" + threadId + "']";
  }

  String listItemLink(String threadId) {
    return listItem(threadId) + " a";
  }

  boolean listShows(String threadId) {
    return !findAll(listItem(threadId)).isEmpty();
  }

  /** A shown thread's status word in the list, or null when it is not shown. */
  String listStatus(String threadId) {
    return text(listItem(threadId) + " .badge");
  }

  @SuppressWarnings("unchecked")
  List<String> listedIds() {
    return (List<String>)
        script(
            "return [...document.querySelectorAll('#thread-items [data-thread-id]')]"
                + ".map(item => item.dataset.threadId)");
  }
}
