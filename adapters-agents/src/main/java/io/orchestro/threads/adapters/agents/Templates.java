package io.orchestro.threads.adapters.agents;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import io.orchestro.threads.application.port.out.StepContext;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The template language of every agent's string settings (Mustache variables, rendered by
 * jmustache): {@code {{prompt}}}, {@code {{input.KEY}}}, {@code {{steps.STEP.output.PATH}}} (a
 * dotted path into an earlier step's output; list items by index, {@code items.0}) and {@code
 * {{secret.NAME}}}. Nothing is HTML-escaped; a value that is missing renders as nothing; an object
 * or list renders as JSON. Sections and partials are not part of it.
 *
 * <p>A definition is checked when stored ({@link #check}): a placeholder with another root, a step
 * that does not come earlier, or a secret that is not configured is refused there rather than
 * rendering as nothing at run time.
 */
public final class Templates {

  /**
   * The longest text a template may render to. A short template can repeat a long value many times
   * over; it fails when it reaches this instead of filling the memory (the step's output has a
   * smaller limit of its own, {@code orchestro.engine.max-step-output}).
   */
  static final int MAX_RENDERED_CHARS = 4 * 1024 * 1024;

  private static final String PLACEHOLDERS =
      "{{prompt}}, {{input.KEY}}, {{steps.STEP.output.PATH}} or {{secret.NAME}}";

  private final JsonMapper json = JsonMapper.builder().build();
  private final Secrets secrets;
  private final Mustache.Compiler plain;
  private final Mustache.Compiler insideJsonString;

  public Templates(Secrets secrets) {
    this.secrets = secrets;
    this.plain = Mustache.compiler().escapeHTML(false).defaultValue("").withFormatter(this::format);
    this.insideJsonString = plain.withEscaper(this::escapeForJsonString);
  }

  /** The text with its placeholders replaced. */
  public String render(String template, StepContext context) {
    return render(plain, template, context);
  }

  /**
   * The text with its placeholders replaced by values escaped for the inside of a JSON string: for
   * a request body written as a string, so that quotes or newlines in a value never break it.
   */
  public String renderInsideJsonStrings(String template, StepContext context) {
    return render(insideJsonString, template, context);
  }

  /**
   * A JSON-like value with each string in it rendered (keys are left as they are): for a body or
   * headers given as an object, which is serialised as JSON afterwards.
   */
  public Object renderValues(Object value, StepContext context) {
    if (value instanceof String text) {
      return render(text, context);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> rendered = new LinkedHashMap<>();
      map.forEach((key, item) -> rendered.put(String.valueOf(key), renderValues(item, context)));
      return rendered;
    }
    if (value instanceof List<?> list) {
      List<Object> rendered = new ArrayList<>();
      list.forEach(item -> rendered.add(renderValues(item, context)));
      return rendered;
    }
    return value;
  }

  /**
   * Checks every placeholder in a text, or in each string of a JSON-like value.
   *
   * @param setting the setting's name, for the message
   * @param earlierSteps the steps whose outputs the step can see
   * @throws IllegalArgumentException naming the setting and the placeholder that cannot work
   */
  public void check(String setting, Object value, List<String> earlierSteps) {
    if (value instanceof String text) {
      checkText(setting, text, earlierSteps);
    } else if (value instanceof Map<?, ?> map) {
      map.forEach((key, item) -> check(setting + "." + key, item, earlierSteps));
    } else if (value instanceof List<?> list) {
      for (int index = 0; index < list.size(); index++) {
        check(setting + "[" + index + "]", list.get(index), earlierSteps);
      }
    }
  }

  private void checkText(String setting, String text, List<String> earlierSteps) {
    Template template;
    try {
      template = plain.compile(text);
    } catch (MustacheException unparsable) {
      throw new IllegalArgumentException(
          "'" + setting + "' is not a valid template: " + unparsable.getMessage());
    }
    template.visit(
        new Mustache.Visitor() {
          @Override
          public void visitText(String plainText) {}

          @Override
          public void visitVariable(String name) {
            checkPlaceholder(setting, name, earlierSteps);
          }

          @Override
          public boolean visitInclude(String name) {
            throw notSupported(setting, "{{>" + name + "}}");
          }

          @Override
          public boolean visitSection(String name) {
            throw notSupported(setting, "{{#" + name + "}}");
          }

          @Override
          public boolean visitInvertedSection(String name) {
            throw notSupported(setting, "{{^" + name + "}}");
          }
        });
  }

  private void checkPlaceholder(String setting, String name, List<String> earlierSteps) {
    String[] parts = name.split("\\.", -1);
    String problem =
        switch (parts[0]) {
          case "prompt" -> parts.length == 1 ? null : "prompt has no parts";
          case "input" -> parts.length >= 2 ? null : "name an input: {{input.KEY}}";
          case "secret" -> {
            if (parts.length != 2) {
              yield "name a secret: {{secret.NAME}}";
            }
            yield secrets.isKnown(parts[1])
                ? null
                : "no secret named '"
                    + parts[1]
                    + "' is configured (orchestro.secrets."
                    + parts[1]
                    + " or the environment variable ORCHESTRO_SECRETS_"
                    + parts[1]
                    + ")";
          }
          case "steps" -> {
            if (parts.length < 3 || !parts[2].equals("output")) {
              yield "use {{steps.STEP.output}} or {{steps.STEP.output.PATH}}";
            }
            yield earlierSteps.contains(parts[1])
                ? null
                : "'" + parts[1] + "' is not a step before this one";
          }
          default -> "a placeholder is " + PLACEHOLDERS;
        };
    if (problem != null) {
      throw new IllegalArgumentException(
          "'" + setting + "': unknown placeholder {{" + name + "}}: " + problem);
    }
  }

  private static IllegalArgumentException notSupported(String setting, String tag) {
    return new IllegalArgumentException(
        "'" + setting + "': " + tag + " is not supported; a placeholder is " + PLACEHOLDERS);
  }

  private String render(Mustache.Compiler compiler, String template, StepContext context) {
    try {
      Writer rendered = new BoundedWriter();
      compiler.compile(template).execute(scope(context), rendered);
      return rendered.toString();
    } catch (MustacheException broken) {
      // stored definitions were checked; this is a template that changed rules since
      throw new IllegalArgumentException("the template cannot be rendered: " + broken.getMessage());
    }
  }

  /** What the placeholders see: the step's input, earlier outputs, and the secrets on demand. */
  private Map<String, Object> scope(StepContext context) {
    Map<String, Object> steps = new LinkedHashMap<>();
    context.stepOutputs().forEach((step, output) -> steps.put(step, Map.of("output", output)));
    Map<String, Object> scope = new LinkedHashMap<>();
    scope.put("prompt", context.input().get("prompt"));
    scope.put("input", context.input());
    scope.put("steps", steps);
    scope.put("secret", (Mustache.CustomContext) secrets::value);
    return scope;
  }

  private String format(Object value) {
    return value instanceof Map<?, ?> || value instanceof List<?>
        ? json.writeValueAsString(value)
        : String.valueOf(value);
  }

  private String escapeForJsonString(String raw) {
    String quoted = json.writeValueAsString(raw);
    return quoted.substring(1, quoted.length() - 1);
  }

  /** Collects the rendered text and fails as soon as it passes {@link #MAX_RENDERED_CHARS}. */
  private static final class BoundedWriter extends Writer {

    private final StringBuilder text = new StringBuilder();

    @Override
    public void write(char[] chars, int offset, int length) {
      if (text.length() + (long) length > MAX_RENDERED_CHARS) {
        throw new IllegalArgumentException(
            "the template renders to more than " + MAX_RENDERED_CHARS + " characters");
      }
      text.append(chars, offset, length);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    @Override
    public String toString() {
      return text.toString();
    }
  }
}
