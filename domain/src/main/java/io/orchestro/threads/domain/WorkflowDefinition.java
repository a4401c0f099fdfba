package io.orchestro.threads.domain;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A versioned workflow: the ordered steps a thread of this type runs, and the keywords that select
 * it from a prompt.
 */
public record WorkflowDefinition(
    String type,
    int version,
    String description,
    List<String> keywords,
    List<StepDefinition> steps) {

  /** The type chosen when no definition's keywords match the prompt. */
  public static final String DEFAULT_TYPE = "general";

  public static final int MAX_STEPS = 100;
  private static final Pattern TYPE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

  public WorkflowDefinition {
    if (!isValidType(type)) {
      throw new InvalidWorkflowDefinitionException(
          "workflow type '"
              + type
              + "' must be 1 to 64 lower-case letters, digits, '_' or '-', starting with a letter or"
              + " digit");
    }
    if (version < 1) {
      throw new InvalidWorkflowDefinitionException("version must be at least 1");
    }
    description = description == null ? "" : description;
    if (keywords != null && keywords.stream().anyMatch(k -> k == null || k.isBlank())) {
      throw new InvalidWorkflowDefinitionException("keywords must not be blank");
    }
    keywords = keywords == null ? List.of() : List.copyOf(keywords);
    if (steps == null || steps.isEmpty()) {
      throw new InvalidWorkflowDefinitionException("a workflow needs at least one step");
    }
    if (steps.stream().anyMatch(Objects::isNull)) {
      throw new InvalidWorkflowDefinitionException("a step must not be null");
    }
    if (steps.size() > MAX_STEPS) {
      throw new InvalidWorkflowDefinitionException(
          "a workflow has at most " + MAX_STEPS + " steps");
    }
    steps = List.copyOf(steps);
    Set<String> names = new HashSet<>();
    for (StepDefinition step : steps) {
      if (!names.add(step.name())) {
        throw new InvalidWorkflowDefinitionException("duplicate step name '" + step.name() + "'");
      }
    }
  }

  public static boolean isValidType(String type) {
    return type != null && TYPE.matcher(type).matches();
  }

  /**
   * @throws InvalidWorkflowDefinitionException when a step names an agent that is not in {@code
   *     knownAgents}
   */
  public void requireKnownAgents(Set<String> knownAgents) {
    for (StepDefinition step : steps) {
      if (!knownAgents.contains(step.agent())) {
        throw new InvalidWorkflowDefinitionException(
            "step '"
                + step.name()
                + "' names unknown agent '"
                + step.agent()
                + "'; known agents: "
                + knownAgents.stream().sorted().toList());
      }
    }
  }

  public Optional<StepDefinition> step(String name) {
    return steps.stream().filter(step -> step.name().equals(name)).findFirst();
  }

  /** The same definition under another version number. */
  public WorkflowDefinition withVersion(int newVersion) {
    return new WorkflowDefinition(type, newVersion, description, keywords, steps);
  }

  /** True when both define the same workflow, whatever their version numbers. */
  public boolean sameContentAs(WorkflowDefinition other) {
    return withVersion(1).equals(other.withVersion(1));
  }

  /** How many of this definition's keywords occur in the prompt as whole words, ignoring case. */
  public int keywordMatches(String prompt) {
    if (prompt == null || prompt.isEmpty()) {
      return 0;
    }
    int matches = 0;
    for (String keyword : keywords) {
      Pattern wholeWord =
          Pattern.compile(
              "(?<![\\p{L}\\p{N}_])" + Pattern.quote(keyword) + "(?![\\p{L}\\p{N}_])",
              Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
      Matcher matcher = wholeWord.matcher(prompt);
      if (matcher.find()) {
        matches++;
      }
    }
    return matches;
  }

  /**
   * The definition a prompt selects: the most matching keywords wins, ties go to the type name that
   * sorts first; empty when no keyword matches.
   */
  public static Optional<WorkflowDefinition> bestMatch(
      List<WorkflowDefinition> candidates, String prompt) {
    WorkflowDefinition best = null;
    int bestMatches = 0;
    for (WorkflowDefinition candidate : candidates) {
      int matches = candidate.keywordMatches(prompt);
      boolean better =
          matches > bestMatches
              || (matches == bestMatches
                  && matches > 0
                  && candidate.type().compareTo(best.type()) < 0);
      if (better) {
        best = candidate;
        bestMatches = matches;
      }
    }
    return Optional.ofNullable(best);
  }
}
