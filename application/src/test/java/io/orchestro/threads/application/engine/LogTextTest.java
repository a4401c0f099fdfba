package io.orchestro.threads.application.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTest {

  @Test
  void aMessageWithANewlineStaysOnOneLineWithItsControlCharactersEscaped() {
    String forged = "not yet\n2026-12-04T10:00:00Z INFO admin logged in\r\u0007\u001b[31m\tend";

    String escaped = LogText.escaped(forged);

    assertThat(escaped)
        .isEqualTo("not yet\\n2026-12-04T10:00:00Z INFO admin logged in\\r\\u0007\\u001b[31m\\tend")
        .doesNotContain("\n", "\r");
    assertThat(LogText.escaped("plain text, é and 😀")).isEqualTo("plain text, é and 😀");
  }
}
