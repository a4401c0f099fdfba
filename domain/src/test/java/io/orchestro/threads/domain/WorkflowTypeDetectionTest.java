package io.orchestro.threads.domain;

import static io.orchestro.threads.domain.TestWorkflows.definitionWithKeywords;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Detecting the workflow type from the prompt: docs/api.md "Create". A keyword matches when it
 * occurs in the prompt as a whole word, ignoring case; the most matching keywords wins; ties go to
 * the type name that sorts first; no match gives nothing (the caller then falls back to {@code
 * general}).
 */
class WorkflowTypeDetectionTest {

  private static final WorkflowDefinition RESEARCH =
      definitionWithKeywords("research", "research", "investigate", "compare");
  private static final WorkflowDefinition CODING =
      definitionWithKeywords("coding", "code", "bug", "compare");
  private static final WorkflowDefinition SUMMARY =
      definitionWithKeywords("summary", "summarise", "report");

  @ParameterizedTest
  @ValueSource(
      strings = {
        "research the market",
        "Please RESEARCH the market",
        "Market Research",
        "research",
        "do some research, then stop",
        "(research)",
        "what about research?",
        "line one\nresearch\nline three",
        "pre-research"
      })
  void aKeywordMatchesAsAWholeWordIgnoringCase(String prompt) {
    assertThat(definitionWithKeywords("research", "research").keywordMatches(prompt)).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ask a researcher",
        "researching now",
        "reresearch",
        "research_topic",
        "research2",
        "re search",
        "nothing here"
      })
  void aKeywordInsideALongerWordDoesNotMatch(String prompt) {
    assertThat(definitionWithKeywords("research", "research").keywordMatches(prompt)).isZero();
  }

  @ParameterizedTest
  @NullAndEmptySource
  void anEmptyPromptMatchesNothing(String prompt) {
    assertThat(RESEARCH.keywordMatches(prompt)).isZero();
    assertThat(WorkflowDefinition.bestMatch(List.of(RESEARCH, CODING), prompt)).isEmpty();
  }

  @Test
  void eachKeywordCountsOnceHoweverOftenItOccurs() {
    assertThat(RESEARCH.keywordMatches("research research RESEARCH")).isEqualTo(1);
    assertThat(RESEARCH.keywordMatches("research and investigate, then compare")).isEqualTo(3);
  }

  @Test
  void keywordsAreMatchedLiterallyNotAsPatterns() {
    WorkflowDefinition cpp = definitionWithKeywords("cpp", "c++", "a.b");

    assertThat(cpp.keywordMatches("learn c++ fast")).isEqualTo(1);
    assertThat(cpp.keywordMatches("learn c fast")).isZero();
    assertThat(cpp.keywordMatches("axb")).isZero();
    assertThat(cpp.keywordMatches("a.b")).isEqualTo(1);
  }

  @Test
  void aKeywordOfSeveralWordsMatchesAsAPhrase() {
    WorkflowDefinition followUp = definitionWithKeywords("followup", "follow up");

    assertThat(followUp.keywordMatches("please Follow Up with the client")).isEqualTo(1);
    assertThat(followUp.keywordMatches("follow the lead up")).isZero();
  }

  @Test
  void caseIsIgnoredBeyondAscii() {
    WorkflowDefinition study = definitionWithKeywords("study", "étude");

    assertThat(study.keywordMatches("Une ÉTUDE de marché")).isEqualTo(1);
    assertThat(study.keywordMatches("études")).isZero();
  }

  @Test
  void theDefinitionWithTheMostMatchingKeywordsWins() {
    String prompt = "investigate the bug and compare the research";

    assertThat(WorkflowDefinition.bestMatch(List.of(CODING, RESEARCH, SUMMARY), prompt))
        .contains(RESEARCH);
  }

  @Test
  void aTieGoesToTheTypeNameThatSortsFirstWhateverTheOrder() {
    String prompt = "compare these two";

    assertThat(WorkflowDefinition.bestMatch(List.of(RESEARCH, CODING), prompt)).contains(CODING);
    assertThat(WorkflowDefinition.bestMatch(List.of(CODING, RESEARCH), prompt)).contains(CODING);
  }

  @Test
  void aTieAmongSeveralMatchesAlsoGoesToTheTypeNameThatSortsFirst() {
    WorkflowDefinition alpha = definitionWithKeywords("alpha", "fix", "bug");
    WorkflowDefinition beta = definitionWithKeywords("beta", "fix", "bug", "unrelated");
    String prompt = "fix the bug";

    assertThat(WorkflowDefinition.bestMatch(List.of(beta, alpha), prompt)).contains(alpha);
  }

  @Test
  void aLaterCandidateWithMoreMatchesBeatsAnEarlierOneThatSortsFirst() {
    String prompt = "summarise the report and compare";

    assertThat(WorkflowDefinition.bestMatch(List.of(CODING, SUMMARY), prompt)).contains(SUMMARY);
  }

  @Test
  void noMatchingKeywordGivesNothing() {
    assertThat(
            WorkflowDefinition.bestMatch(
                List.of(RESEARCH, CODING, SUMMARY), "ask a researcher about codes"))
        .isEmpty();
  }

  @Test
  void noCandidatesGiveNothing() {
    assertThat(WorkflowDefinition.bestMatch(List.of(), "research")).isEmpty();
  }

  @Test
  void aDefinitionWithoutKeywordsNeverMatches() {
    WorkflowDefinition general = definitionWithKeywords("general");

    assertThat(general.keywordMatches("general research")).isZero();
    assertThat(WorkflowDefinition.bestMatch(List.of(general), "general")).isEmpty();
  }
}
