package io.orchestro.threads.adapters.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class TemplatesTest {

  private final Secrets secrets = new Secrets(List.of("TOKEN"), name -> "s3cr3t-value");
  private final Templates templates = new Templates(secrets);
  private final Steps steps = new Steps();

  @Test
  void rendersThePromptInputsEarlierOutputsAndSecretsWithoutHtmlEscaping() {
    steps.input = Map.of("prompt", "<b>Q3</b> & more", "region", "EMEA", "year", 2026);
    steps.outputs =
        Map.of(
            "plan",
            Map.of(
                "text", "a plan",
                "nested", Map.of("score", 0.5),
                "items", List.of("first", Map.of("name", "second"))));

    String rendered =
        templates.render(
            "{{prompt}} | {{input.region}} {{input.year}} | {{steps.plan.output.text}} |"
                + " {{steps.plan.output.nested.score}} | {{steps.plan.output.items.1.name}} |"
                + " {{secret.TOKEN}}",
            steps.first("now", Map.of()));

    assertThat(rendered)
        .isEqualTo("<b>Q3</b> & more | EMEA 2026 | a plan | 0.5 | second | s3cr3t-value");
  }

  @Test
  void aTemplateThatRepeatsALongValueStopsAtTheRenderingLimit() {
    steps.input = Map.of("prompt", "x".repeat(60_000));
    String template = "{{prompt}}".repeat(100);

    assertThatThrownBy(() -> templates.render(template, steps.first("now", Map.of())))
        .hasMessage(
            "the template renders to more than " + Templates.MAX_RENDERED_CHARS + " characters");
    assertThat(templates.render("{{prompt}}".repeat(60), steps.first("now", Map.of())))
        .hasSize(3_600_000);
  }

  @Test
  void rendersObjectsAsJsonAndMissingValuesAsNothing() {
    steps.outputs = Map.of("plan", Map.of("nested", Map.of("a", 1)));

    String rendered =
        templates.render(
            "[{{steps.plan.output.nested}}][{{input.absent}}][{{steps.plan.output.no.such}}]",
            steps.first("now", Map.of()));

    assertThat(rendered).isEqualTo("[{\"a\":1}][][]");
  }

  @Test
  void aBodyStringGetsValuesEscapedForJsonStrings() {
    String body =
        templates.renderInsideJsonStrings(
            "{\"text\": \"{{prompt}}\"}", steps.first("now", Map.of()));

    assertThat(JsonMapper.builder().build().readTree(body).get("text").asString())
        .isEqualTo("Summarise \"Q3\"\nsales");
  }

  @Test
  void aBodyObjectHasEachStringRendered() {
    Object rendered =
        templates.renderValues(
            Map.of("text", "{{prompt}}", "list", List.of("{{input.prompt}}", 3), "flag", true),
            steps.first("now", Map.of()));

    assertThat(rendered)
        .isEqualTo(
            Map.of(
                "text",
                "Summarise \"Q3\"\nsales",
                "list",
                List.of("Summarise \"Q3\"\nsales", 3),
                "flag",
                true));
  }

  @Test
  void acceptsEveryKindOfPlaceholderThatCanWork() {
    templates.check(
        "template",
        "{{prompt}} {{input.a}} {{input.a.b}} {{steps.plan.output}} {{steps.plan.output.x.0}}"
            + " {{secret.TOKEN}}",
        List.of("plan"));
  }

  @Test
  void refusesPlaceholdersThatCannotWorkNamingTheSettingAndThePlaceholder() {
    assertRefused("{{nonsense}}", "'body.text': unknown placeholder {{nonsense}}");
    assertRefused("{{steps.later.output.text}}", "'later' is not a step before this one");
    assertRefused("{{steps.plan.text}}", "{{steps.plan.text}}");
    assertRefused("{{secret.OTHER}}", "no secret named 'OTHER' is configured");
    assertRefused("{{secret}}", "name a secret");
    assertRefused("{{input}}", "name an input");
    assertRefused("{{prompt.x}}", "{{prompt.x}}");
    assertRefused("{{#prompt}}x{{/prompt}}", "{{#prompt}} is not supported");
    assertRefused("{{>partial}}", "{{>partial}} is not supported");
    assertRefused("{{/prompt}}", "is not a valid template");
  }

  private void assertRefused(String text, String message) {
    assertThatThrownBy(() -> templates.check("body", Map.of("text", text), List.of("plan")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
