package io.orchestro.threads.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EgressPolicyTest {

  private final EgressPolicy closed = new EgressPolicy(List.of());

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1",
        "127.8.9.10",
        "10.0.0.1",
        "172.16.0.1",
        "172.31.255.255",
        "192.168.1.1",
        "100.64.0.1",
        "169.254.169.254",
        "169.254.1.1",
        "0.0.0.0",
        "224.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "fd00:ec2::254",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1"
      })
  void refusesAddressesThatAreNotPublic(String address) throws UnknownHostException {
    assertThat(closed.isAllowed(InetAddress.getByName(address))).isFalse();
    String host = address.contains(":") ? "[" + address + "]" : address;
    assertThatThrownBy(() -> closed.checkUrl(URI.create("http://" + host + "/x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("egress policy");
  }

  @ParameterizedTest
  @ValueSource(strings = {"93.184.215.14", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1"})
  void letsPublicAddressesPass(String address) throws UnknownHostException {
    assertThat(closed.isAllowed(InetAddress.getByName(address))).isTrue();
  }

  @Test
  void refusesUrlsThatCanNeverBeSentTo() {
    for (String url :
        List.of(
            "ftp://example.com/x",
            "file:///etc/passwd",
            "http:///x",
            "http://localhost:8080/",
            "http://api.localhost/",
            "http://metadata.google.internal/computeMetadata/v1/")) {
      assertThatThrownBy(() -> closed.checkUrl(URI.create(url)))
          .as(url)
          .isInstanceOf(IllegalArgumentException.class);
    }
    // a host name is checked when a request is sent, by what it resolves to then
    assertThatCode(() -> closed.checkUrl(URI.create("https://example.com/hook")))
        .doesNotThrowAnyException();
  }

  @Test
  void checksEveryAddressAHostResolvesTo() throws UnknownHostException {
    EgressPolicy policy =
        new EgressPolicy(
            List.of(),
            resolving(
                Map.of(
                    "rebound.example",
                    List.of("93.184.215.14", "10.1.2.3"),
                    "public.example",
                    List.of("93.184.215.14", "2606:4700::1"))));

    assertThat(policy.resolve("public.example"))
        .extracting(InetAddress::getHostAddress)
        .containsExactly("93.184.215.14", "2606:4700:0:0:0:0:0:1");
    assertThatThrownBy(() -> policy.resolve("rebound.example"))
        .isInstanceOf(EgressPolicy.RefusedDestinationException.class)
        .hasMessage(
            "the egress policy refuses 'rebound.example': it resolves to 10.1.2.3, which is not"
                + " public (orchestro.egress.allow can list it)");
    assertThatThrownBy(() -> policy.resolve("localhost"))
        .isInstanceOf(EgressPolicy.RefusedDestinationException.class);
  }

  @Test
  void theAllowListLetsHostsAddressesAndRangesPass() throws UnknownHostException {
    EgressPolicy policy =
        new EgressPolicy(
            List.of(" Models.Internal ", "10.20.0.0/16", "::1", "[fd00::5]", "localhost"),
            resolving(
                Map.of(
                    "models.internal",
                    List.of("192.168.1.7"),
                    "other.internal",
                    List.of("192.168.1.8"),
                    "localhost",
                    List.of("127.0.0.1", "::1"))));

    assertThat(policy.resolve("models.internal")).hasSize(1);
    assertThat(policy.resolve("LOCALHOST")).hasSize(2);
    assertThatThrownBy(() -> policy.resolve("other.internal"))
        .isInstanceOf(EgressPolicy.RefusedDestinationException.class);
    assertThat(policy.isAllowed(InetAddress.getByName("10.20.255.1"))).isTrue();
    assertThat(policy.isAllowed(InetAddress.getByName("10.21.0.1"))).isFalse();
    assertThat(policy.isAllowed(InetAddress.getByName("::1"))).isTrue();
    assertThat(policy.isAllowed(InetAddress.getByName("fd00::5"))).isTrue();
    assertThat(policy.isAllowed(InetAddress.getByName("fd00::6"))).isFalse();
    assertThatCode(() -> policy.checkUrl(URI.create("http://10.20.1.1:11434/api")))
        .doesNotThrowAnyException();
  }

  @Test
  void aMalformedAllowEntryIsRefusedAtStart() {
    assertThatThrownBy(() -> new EgressPolicy(List.of("10.0.0.0/33")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("10.0.0.0/33");
  }

  private static EgressPolicy.Resolver resolving(Map<String, List<String>> names) {
    return name -> {
      List<String> addresses = names.get(name);
      if (addresses == null) {
        throw new UnknownHostException(name);
      }
      return addresses.stream().map(EgressPolicyTest::literal).toArray(InetAddress[]::new);
    };
  }

  private static InetAddress literal(String address) {
    return EgressPolicy.literal(address);
  }
}
