package io.orchestro.threads.application.service;

import io.orchestro.threads.domain.RetryPolicy;
import io.orchestro.threads.domain.StepDefinition;
import io.orchestro.threads.domain.WorkflowDefinition;
import java.util.List;
import java.util.Map;

/**
 * The workflows every installation starts with, so a new user can start a thread at once. They are
 * stored as version 1 when their type is missing; a user's own versions are never overwritten.
 */
public final class BuiltInWorkflows {

  // the built-in agents' names (adapters-agents), which the API's contract fixes
  private static final String DELAY = "delay";
  private static final String ECHO = "echo";
  private static final String FAIL = "fail";

  private BuiltInWorkflows() {}

  public static List<WorkflowDefinition> all() {
    return List.of(general(), research(), report());
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

  static WorkflowDefinition research() {
    return new WorkflowDefinition(
        "research",
        1,
        "Plan, gather sources, analyse and summarise.",
        List.of("research", "investigate", "compare", "analyse", "analyze", "study"),
        List.of(
            step("plan", DELAY, Map.of("millis", 500)),
            step("gather", DELAY, Map.of("millis", 1000)),
            step("analyse", ECHO, Map.of("template", "Findings on {{prompt}}")),
            step("summarise", ECHO, Map.of("template", "Summary: {{steps.analyse.output.text}}"))));
  }

  /** Its review step fails once and succeeds on the retry, to show retries at work. */
  static WorkflowDefinition report() {
    return new WorkflowDefinition(
        "report",
        1,
        "Outline, draft, review (which fails once, then passes on retry) and publish a report.",
        List.of("report", "summarise", "summarize", "summary", "write"),
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

  private static StepDefinition step(String name, String agent, Map<String, Object> config) {
    return new StepDefinition(name, agent, config, RetryPolicy.NONE, null);
  }
}
