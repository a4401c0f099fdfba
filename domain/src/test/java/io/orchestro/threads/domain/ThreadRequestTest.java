package io.orchestro.threads.domain;

import static io.orchestro.threads.domain.TestWorkflows.T0;
import static io.orchestro.threads.domain.TestWorkflows.definition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** What a client asked for: the prompt rule, the thread input and the default title. */
class ThreadRequestTest {

  private static final String THIRTY = "Summarise the Q3 sales report.";

  @Test
  void thePromptUsedForTheBoundaryHasExactlyThirtyCharacters() {
    assertThat(THIRTY).hasSize(30);
  }

  @Test
  void aGivenTitleWins() {
    ThreadRequest request = new ThreadRequest(THIRTY + " and more", null, "My title", null);

    assertThat(request.titleFor("research")).isEqualTo("My title");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   "})
  void aBlankTitleCountsAsNoTitle(String blank) {
    ThreadRequest request = new ThreadRequest("hello", null, blank, null);

    assertThat(request.titleFor("general")).isEqualTo("Workflow - hello");
  }

  @Test
  void aShortPromptBecomesTheTitleWithoutDots() {
    assertThat(TestWorkflows.request("hello").titleFor("general")).isEqualTo("Workflow - hello");
  }

  @Test
  void aPromptOfExactlyThirtyCharactersIsKeptWholeWithoutDots() {
    assertThat(TestWorkflows.request(THIRTY).titleFor("general"))
        .isEqualTo("Workflow - Summarise the Q3 sales report.");
  }

  @Test
  void aPromptOfThirtyOneCharactersIsCutToThirtyWithDots() {
    assertThat(TestWorkflows.request(THIRTY + "!").titleFor("general"))
        .isEqualTo("Workflow - Summarise the Q3 sales report....");
  }

  @Test
  void aLongPromptIsCutAfterItsFirstThirtyCharactersWithDots() {
    String prompt = "Investigate why the nightly build fails on ARM";

    assertThat(TestWorkflows.request(prompt).titleFor("research"))
        .isEqualTo("Workflow - Investigate why the nightly bu...");
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"  "})
  void withoutAPromptTheTitleNamesTheWorkflowType(String noPrompt) {
    ThreadRequest request = new ThreadRequest(noPrompt, null, null, Map.of("ticket", 42));

    assertThat(request.titleFor("research")).isEqualTo("Workflow - research");
  }

  @Test
  void createdThreadsGetTheDefaultTitleForTheirWorkflowType() {
    WorkflowThread thread =
        WorkflowThread.create(
            ThreadId.generate(),
            new ThreadRequest(null, null, null, Map.of("ticket", 42)),
            definition("support", "a"),
            T0);

    assertThat(thread.title()).isEqualTo("Workflow - support");
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {" ", "\t\n"})
  void aPromptIsRequiredWhenNoInputIsGiven(String noPrompt) {
    assertThatThrownBy(() -> new ThreadRequest(noPrompt, null, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a prompt is required unless input is given");
    assertThatThrownBy(() -> new ThreadRequest(noPrompt, null, null, Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void inputAloneIsEnough() {
    ThreadRequest request = new ThreadRequest(null, null, null, Map.of("ticket", 42));

    assertThat(request.prompt()).isNull();
    assertThat(request.threadInput()).containsExactly(entry("ticket", 42));
  }

  @Test
  void noInputMeansAnEmptyMap() {
    assertThat(TestWorkflows.request("hello").input()).isEmpty();
  }

  @Test
  void threadInputIsThePromptFollowedByTheExtraInputs() {
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("language", "en");
    input.put("limit", 3);

    ThreadRequest request = TestWorkflows.request("hello", input);

    assertThat(request.threadInput())
        .containsExactly(entry("prompt", "hello"), entry("language", "en"), entry("limit", 3));
  }

  @Test
  void theGivenPromptWinsOverAPromptKeyInTheInput() {
    ThreadRequest request = TestWorkflows.request("hello", Map.of("prompt", "other"));

    assertThat(request.threadInput()).containsExactly(entry("prompt", "hello"));
  }

  @Test
  void threadInputCannotBeChanged() {
    ThreadRequest request = TestWorkflows.request("hello", Map.of("limit", 3));

    assertThatThrownBy(() -> request.threadInput().put("limit", 4))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> request.input().put("limit", 4))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void theInputIsCopiedDeeplySoTheCallerCannotChangeItLater() {
    List<Object> tags = new java.util.ArrayList<>(List.of("a"));
    Map<String, Object> nested = new HashMap<>(Map.of("tags", tags));
    Map<String, Object> input = new HashMap<>();
    input.put("nested", nested);
    input.put("nothing", null);

    ThreadRequest request = TestWorkflows.request("hello", input);
    tags.add("b");
    nested.put("more", 1);
    input.put("late", true);

    assertThat(request.input())
        .containsOnlyKeys("nested", "nothing")
        .containsEntry("nothing", null)
        .containsEntry("nested", Map.of("tags", List.of("a")));
  }

  @Test
  void requestsWithTheSameJsonValuesAreEqual() {
    ThreadRequest first =
        new ThreadRequest("hello", "research", null, Map.of("a", List.of(1, 2), "b", "x"));
    ThreadRequest second =
        new ThreadRequest(
            "hello", "research", null, new LinkedHashMap<>(Map.of("b", "x", "a", List.of(1, 2))));

    assertThat(first).isEqualTo(second);
    assertThat(first).isNotEqualTo(new ThreadRequest("hello", "general", null, first.input()));
  }
}
