package io.orchestro.threads.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/**
 * Requests that Tomcat refuses before the application sees them are answered as problem+json, not
 * with Tomcat's HTML page. Sent over a raw socket, since an HTTP client would refuse to send them.
 */
@SpringBootTest(
    classes = OrchestroThreadsApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = "spring.datasource.url=jdbc:h2:mem:api-test;DB_CLOSE_DELAY=-1")
@Import(EngineTestSupport.Beans.class)
class TomcatErrorPagesTest {

  @LocalServerPort int port;

  @ParameterizedTest
  @ValueSource(strings = {"/api/threads?q=%zz", "/api/threads/%zz", "LONG"})
  void aRequestTomcatCannotReadIsAProblem(String target) throws IOException {
    String path = target.equals("LONG") ? "/api/threads?q=" + "x".repeat(10_000) : target;
    String answer =
        exchange("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 400");
    assertThat(answer.toLowerCase()).contains("content-type: application/problem+json");
    assertThat(answer).contains("\"status\":400").doesNotContain("<html");
  }

  private String exchange(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
