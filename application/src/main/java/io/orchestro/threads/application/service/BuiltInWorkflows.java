package io.orchestro.threads.application.service;

import io.orchestro.threads.domain.RetryPolicy;
import io.orchestro.threads.domain.StepDefinition;
import io.orchestro.threads.domain.WorkflowDefinition;
import java.util.List;
import java.util.Map;

/**
 * The workflows every installation starts with, so a new user can start a thread at once. They are
 * stored as version 1 when their type is missing; a user's own versions are never overwritten.
 *
 * <p>With a language model configured, {@code research} and {@code report} do real work: a model
 * plans, drafts and reviews in {@code llm} steps, each prompt built from the earlier steps'
 * outputs. Without one they are demonstrations of delays, echoes and a retry.
 */
public final class BuiltInWorkflows {

  // the built-in agents' names (adapters-agents), which the API's contract fixes
  private static final String DELAY = "delay";
  private static final String ECHO = "echo";
  private static final String FAIL = "fail";
  private static final String LLM = "llm";

  /** A model call that fails (a 429, a 5xx, a dropped connection) is tried again a little later. */
  private static final RetryPolicy MODEL_RETRY = new RetryPolicy(3, 2_000);

  private static final long MODEL_TIMEOUT_MILLIS = 180_000;

  private BuiltInWorkflows() {}

  /** The demonstrations, for an installation with no language model. */
  public static List<WorkflowDefinition> all() {
    return List.of(general(), research(), report());
  }

  /**
   * @param provider the configured model provider (with a default model) that {@code research} and
   *     {@code report} ask, or null for none: they are the demonstrations then
   */
  public static List<WorkflowDefinition> all(String provider) {
    return provider == null ? all() : List.of(general(), research(provider), report(provider));
  }

  static WorkflowDefinition general() {
    return new WorkflowDefinition(
        WorkflowDefinition.DEFAULT_TYPE,
        1,
        "Any request: think it over, then answer.",
        List.of(),
        List.of(
            step("understand", DELAY, Map.of("millis", 300)),
            step("respond", ECHO, Map.of("template", "Response to: {{prompt}}"))));
  }

  private static final List<String> RESEARCH_KEYWORDS =
      List.of("research", "investigate", "compare", "analyse", "analyze", "study");

  private static final List<String> REPORT_KEYWORDS =
      List.of("report", "summarise", "summarize", "summary", "write");

  static WorkflowDefinition research() {
    return new WorkflowDefinition(
        "research",
        1,
        "Plan, gather sources, analyse and summarise.",
        RESEARCH_KEYWORDS,
        List.of(
            step("plan", DELAY, Map.of("millis", 500)),
            step("gather", DELAY, Map.of("millis", 1000)),
            step("analyse", ECHO, Map.of("template", "Findings on {{prompt}}")),
            step("summarise", ECHO, Map.of("template", "Summary: {{steps.analyse.output.text}}"))));
  }

  /** A model plans the questions, answers them, and sums the answers up. */
  static WorkflowDefinition research(String provider) {
    return new WorkflowDefinition(
        "research",
        1,
        "A language model plans the questions, analyses them and summarises the findings.",
        RESEARCH_KEYWORDS,
        List.of(
            modelStep(
                provider,
                "plan",
                "You plan research. Answer with a numbered list of three to five questions.",
                "Plan the research on: {{prompt}}"),
            modelStep(
                provider,
                "analyse",
                "You are a careful analyst. Say what is uncertain.",
                "Topic: {{prompt}}\n\nAnswer each question of this plan in turn:\n"
                    + "{{steps.plan.output.text}}"),
            modelStep(
                provider,
                "summarise",
                "You write short summaries for busy readers.",
                "Summarise these findings on \"{{prompt}}\" in one paragraph:\n"
                    + "{{steps.analyse.output.text}}")));
  }

  /** Its review step fails once and succeeds on the retry, to show retries at work. */
  static WorkflowDefinition report() {
    return new WorkflowDefinition(
        "report",
        1,
        "Outline, draft, review (which fails once, then passes on retry) and publish a report.",
        REPORT_KEYWORDS,
        List.of(
            step("outline", ECHO, Map.of("template", "Outline for {{prompt}}")),
            step("draft", DELAY, Map.of("millis", 800)),
            new StepDefinition(
                "review",
                FAIL,
                Map.of("message", "reviewer asked for changes", "times", 1),
                new RetryPolicy(2, 200),
                30_000L),
            step("publish", ECHO, Map.of("template", "Published: {{steps.outline.output.text}}"))));
  }

  /** A model outlines, drafts and reviews the report; the reviewed text is published. */
  static WorkflowDefinition report(String provider) {
    return new WorkflowDefinition(
        "report",
        1,
        "A language model outlines, drafts and reviews a report, which is then published.",
        REPORT_KEYWORDS,
        List.of(
            modelStep(
                provider,
                "outline",
                "You outline reports. Answer with the section headings only, one a line.",
                "Outline a report on: {{prompt}}"),
            modelStep(
                provider,
                "draft",
                "You write clear, concise reports.",
                "Write the report on \"{{prompt}}\", section by section, following this outline:\n"
                    + "{{steps.outline.output.text}}"),
            modelStep(
                provider,
                "review",
                "You are a demanding editor. Answer with the improved report only.",
                "Review this draft of a report on \"{{prompt}}\": fix errors, cut repetition,"
                    + " keep its sections.\n\n{{steps.draft.output.text}}"),
            step("publish", ECHO, Map.of("template", "{{steps.review.output.text}}"))));
  }

  private static StepDefinition step(String name, String agent, Map<String, Object> config) {
    return new StepDefinition(name, agent, config, RetryPolicy.NONE, null);
  }

  private static StepDefinition modelStep(
      String provider, String name, String system, String prompt) {
    return new StepDefinition(
        name,
        LLM,
        Map.of("provider", provider, "system", system, "prompt", prompt),
        MODEL_RETRY,
        MODEL_TIMEOUT_MILLIS);
  }
}
