package io.orchestro.threads.bootstrap;

import static io.orchestro.threads.bootstrap.ApiClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/**
 * With no credential configured (the default), the service serves only clients on its own machine,
 * as the one local admin: the same requests that succeed on the loopback are refused with a 401
 * that says how to configure keys when they come to the machine's network address. Health stays
 * open, for the probes of an orchestrator.
 */
@SpringBootTest(
    classes = OrchestroThreadsApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = "spring.datasource.url=jdbc:h2:mem:api-test;DB_CLOSE_DELAY=-1")
@Import(EngineTestSupport.Beans.class)
class ProtectedModeTest {

  @LocalServerPort int port;

  @Test
  void theLoopbackIsTheLocalAdmin() {
    ApiClient local = new ApiClient(port);
    assertThat(local.get("/api/me").body().toString())
        .isEqualTo("{\"owner\":\"local\",\"role\":\"admin\"}");
    assertThat(local.get("/actuator/prometheus").status()).isEqualTo(200);
  }

  @Test
  void anyOtherAddressIsToldToConfigureKeys() throws SocketException {
    ApiClient remote = new ApiClient(port).at(networkAddress(), port);
    for (String path : new String[] {"/api/threads", "/api/me", "/index.html", "/v3/api-docs"}) {
      ApiClient.Reply reply = remote.get(path);
      assertProblem(reply, 401);
      assertThat(reply.raw().headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
      assertThat(reply.body().get("detail").asString())
          .contains("orchestro.security.api-keys", "Running it safely");
    }
    assertProblem(remote.post("/api/threads", "{\"prompt\":\"from afar\"}"), 401);
    assertThat(remote.get("/actuator/health").status()).isEqualTo(200);
  }

  /** An IPv4 address of this machine that is not the loopback. */
  private static String networkAddress() throws SocketException {
    for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!network.isUp() || network.isLoopback()) {
        continue;
      }
      for (InetAddress address : Collections.list(network.getInetAddresses())) {
        if (address instanceof Inet4Address && !address.isLinkLocalAddress()) {
          return address.getHostAddress();
        }
      }
    }
    throw new AssertionError("this machine has no network address besides the loopback");
  }
}
