package io.orchestro.threads.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.json.JsonMapper;

/**
 * Plain-text logs, configured as the application configures them, cannot be forged: user text with
 * a newline, a carriage return, a bell or an ANSI colour escape stays on its own line with those
 * characters escaped, from the engine's lines, from any other logger and in the messages of the
 * exceptions in stack traces.
 */
@SpringBootTest(
    classes = OrchestroThreadsApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = "spring.datasource.url=jdbc:h2:mem:api-test;DB_CLOSE_DELAY=-1")
@Import(EngineTestSupport.Beans.class)
@ExtendWith(OutputCaptureExtension.class)
class ForgedLogLinesTest {

  private static final String FORGED_LINE =
      "2026-12-04T10:00:00.000Z  INFO 1 --- [main] admin logged in";
  private static final String FORGERY =
      "not yet\n" + FORGED_LINE + "\r\u0007\u001b[31m\u0085\u2028end";
  private static final String ESCAPED =
      "not yet\\n" + FORGED_LINE + "\\r\\u0007\\u001b[31m\\u0085\\u2028end";

  @LocalServerPort int port;

  @Test
  void aFailMessageWithANewlineIsLoggedOnOneLineWithItsControlCharactersEscaped(
      CapturedOutput output) {
    ApiClient api = new ApiClient(port);
    String type = "forger-" + UUID.randomUUID().toString().substring(0, 8);
    String message = JsonMapper.builder().build().writeValueAsString(FORGERY);
    assertThat(
            api.put(
                    "/api/workflows/" + type,
                    "{\"steps\": [{\"name\": \"forge\", \"agent\": \"fail\", \"config\": {\"message\": "
                        + message
                        + "}}]}")
                .status())
        .isEqualTo(201);

    String id = api.createThread("forge a log line", type);
    api.awaitStatus(id, "failed");

    // the API keeps the text as it was given
    assertThat(api.get("/api/threads/" + id).body().toString()).contains(message);
    assertOnOneLineEscaped(output, "thread " + id + " failed");
  }

  @Test
  void anyLoggerWritesUserTextEscaped(CapturedOutput output) {
    LoggerFactory.getLogger("some.library").warn("a request for {}", FORGERY);

    assertOnOneLineEscaped(output, "a request for");
  }

  @Test
  void anExceptionsMessageIsEscapedInItsStackTrace(CapturedOutput output) {
    RuntimeException cause =
        new RuntimeException() {
          @Override
          public String toString() {
            return "the agent said: " + FORGERY;
          }
        };
    IllegalStateException exception = new IllegalStateException(FORGERY, cause);
    exception.addSuppressed(new IllegalArgumentException(FORGERY));

    LoggerFactory.getLogger("some.library").error("a request failed", exception);

    assertOnOneLineEscaped(output, "java.lang.IllegalStateException: " + ESCAPED);
    assertOnOneLineEscaped(output, "Caused by: the agent said: " + ESCAPED);
    assertOnOneLineEscaped(output, "Suppressed: java.lang.IllegalArgumentException: " + ESCAPED);
    // the stack trace keeps its own lines: each exception's first line is followed by its frames
    List<String> lines = output.getOut().lines().toList();
    int first = lines.indexOf("java.lang.IllegalStateException: " + ESCAPED);
    assertThat(first).isPositive();
    assertThat(lines.get(first - 2)).endsWith(": a request failed");
    assertThat(lines.get(first - 1)).isEmpty();
    assertThat(lines.get(first + 1))
        .startsWith("\tat " + ForgedLogLinesTest.class.getName() + ".anExceptionsMessage");
  }

  private static void assertOnOneLineEscaped(CapturedOutput output, String marker) {
    List<String> lines = output.getOut().lines().filter(line -> line.contains(marker)).toList();
    assertThat(lines).singleElement().asString().contains(ESCAPED).doesNotContain("\u001b");
    assertThat(output.getOut().lines()).noneMatch(line -> line.startsWith(FORGED_LINE));
  }
}
