package io.orchestro.threads.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The dashboard of a service with API keys, in headless Chromium: it asks for a key once per tab,
 * keeps it out of every URL, reads the live event stream with it, says who is signed in, and offers
 * only what the role may do. A viewer and an operator of the same team share its threads.
 */
@SpringBootTest(
    classes = OrchestroThreadsApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = "spring.datasource.url=jdbc:h2:mem:dashboard-sign-in;DB_CLOSE_DELAY=-1")
class DashboardSignInBrowserTest extends BrowserTestBase {

  private static final String VIEWER = "team-viewer-key-51c2f0e9";
  private static final String OPERATOR = "team-operator-key-8d7a3b14";

  @DynamicPropertySource
  static void apiKeys(DynamicPropertyRegistry registry) {
    ApiKeyAccessTest.configureKey(registry, 0, VIEWER, "viewer", "team");
    ApiKeyAccessTest.configureKey(registry, 1, OPERATOR, "operator", "team");
  }

  private void signIn(String key) {
    page.waitFor("the sign-in form", d -> page.isShown("#credential-input"));
    page.find("#credential-input").sendKeys(key);
    page.click("#sign-in-button");
  }

  @Test
  void aViewerSignsInOnceWatchesLiveAndIsOfferedNoChanges() {
    page.open("#/");
    assertThat(page.text("#sign-in-form h1")).isEqualTo("Sign in");
    assertThat(page.isShown("#live-status")).isFalse();

    signIn("not-a-key");
    page.waitFor("the refusal", d -> page.isShown("#sign-in-error"));
    assertThat(page.text("#sign-in-error")).contains("not accepted");

    signIn(VIEWER);
    page.waitFor("who is signed in", d -> "team".equals(page.text("#caller-owner")));
    assertThat(page.text("#caller-role")).isEqualTo("viewer");
    page.waitFor("the authenticated stream", d -> "Live".equals(page.text("#live-status")));
    assertThat((String) page.script("return window.location.href")).doesNotContain(VIEWER);
    assertThat(page.isShown("#new-workflow-link")).isFalse();
    assertThat(page.isShown(".nav [data-section=webhook]")).isFalse();

    // a thread the operator starts elsewhere appears through the stream, without a reload
    page.markDocument();
    String id = api().as(OPERATOR).createThread("started by a teammate", "general");
    page.waitFor("the teammate's thread in the list", d -> page.listShows(id));
    assertThat(page.isSameDocument()).isTrue();

    page.open("#/threads/" + id);
    page.waitFor("the thread", d -> page.isShown("#thread-title"));
    assertThat(page.isShown("#action-delete")).isFalse();

    // the key stays for the tab's session: a reload does not ask again
    page.open("#/");
    page.waitFor("who is signed in", d -> "team".equals(page.text("#caller-owner")));
    page.click("#sign-out");
    page.waitFor("the sign-in form again", d -> page.isShown("#credential-input"));
    assertThat(page.script("return sessionStorage.length")).isEqualTo(0L);
  }

  @Test
  void anOperatorIsOfferedThreadActionsButNotDefinitions() {
    String id = api().as(OPERATOR).createThread("an operator's thread", "general");
    page.open("#/threads/" + id);
    signIn(OPERATOR);
    page.waitFor("who is signed in", d -> "operator".equals(page.text("#caller-role")));
    page.waitFor("the thread", d -> page.isShown("#thread-title"));
    assertThat(page.isShown("#action-delete")).isTrue();
    assertThat(page.isShown("#new-workflow-link")).isTrue();
    assertThat(page.isShown(".nav [data-section=webhook]")).isFalse();
    page.open("#/workflows/general");
    page.waitFor("the workflow", d -> page.isShown("#workflow-steps"));
    assertThat(page.isShown("#workflow-form")).isFalse();
  }
}
