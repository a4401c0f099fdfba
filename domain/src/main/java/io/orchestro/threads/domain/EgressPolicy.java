package io.orchestro.threads.domain;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where the service may send requests (docs/api.md, "egress"): the one place that decides for
 * webhooks and the {@code http} and {@code llm} agents. A destination passes when every address its
 * host resolves to is public, that is in none of {@link #REFUSED_RANGES} (loopback, private,
 * carrier-grade NAT, link-local, unique-local, multicast, unspecified and reserved ranges; the
 * cloud metadata addresses 169.254.169.254 and fd00:ec2::254 are among them) and the host is not a
 * name that always means this machine or a metadata service ({@link #REFUSED_NAMES}). What {@code
 * orchestro.egress.allow} lists passes anyway: a host name (exactly, case aside), an address or a
 * CIDR range.
 *
 * <p>Clients connect only to the addresses {@link #resolve} returned, so a name that resolves to a
 * public address when checked and to a private one a moment later (DNS rebinding) still reaches the
 * checked one.
 */
public final class EgressPolicy {

  static final List<String> REFUSED_RANGES =
      List.of(
          "0.0.0.0/8", // "this network", the unspecified address
          "10.0.0.0/8",
          "100.64.0.0/10", // carrier-grade NAT
          "127.0.0.0/8",
          "169.254.0.0/16", // link-local, 169.254.169.254 (cloud metadata) included
          "172.16.0.0/12",
          "192.0.0.0/24", // IETF protocol assignments
          "192.168.0.0/16",
          "198.18.0.0/15", // benchmarking networks
          "224.0.0.0/4", // multicast
          "240.0.0.0/4", // reserved, the broadcast address included
          "::/96", // the unspecified and loopback addresses, IPv4-compatible addresses
          "64:ff9b::/96", // NAT64: an IPv4 address inside an IPv6 one
          "2002::/16", // 6to4: the same
          "fc00::/7", // unique-local, fd00:ec2::254 (cloud metadata) included
          "fe80::/10", // link-local
          "fec0::/10", // site-local (deprecated, still routed by some)
          "ff00::/8"); // multicast

  /** Names that mean this machine or a cloud's metadata service, whatever DNS says. */
  static final Set<String> REFUSED_NAMES = Set.of("localhost", "metadata.google.internal");

  private static final List<Cidr> REFUSED = REFUSED_RANGES.stream().map(Cidr::parse).toList();

  private final Set<String> allowedHosts;
  private final List<Cidr> allowedRanges;
  private final Resolver resolver;

  /**
   * @param allow host names, addresses and CIDR ranges that may be reached although the rules
   *     refuse them (for example a model server on this machine)
   */
  public EgressPolicy(Collection<String> allow) {
    this(allow, InetAddress::getAllByName);
  }

  /** Resolves host names to addresses: the system's resolver, or a test's. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  /**
   * With a resolver of its own: for tests that need a name to resolve to a given address.
   *
   * @param allow as for {@link #EgressPolicy(Collection)}
   */
  public EgressPolicy(Collection<String> allow, Resolver resolver) {
    this.resolver = resolver;
    List<String> entries =
        allow.stream().map(String::strip).filter(entry -> !entry.isEmpty()).toList();
    this.allowedRanges =
        entries.stream().filter(EgressPolicy::isAddressOrRange).map(Cidr::parse).toList();
    this.allowedHosts =
        entries.stream()
            .filter(entry -> !isAddressOrRange(entry))
            .map(EgressPolicy::normalHost)
            .collect(Collectors.toUnmodifiableSet());
  }

  /**
   * Refuses a URL no request could ever be sent to: not http or https, no host, or a host that is
   * an address or a name the policy refuses. A host name that resolves to a refused address is not
   * refused here: what it resolves to is checked when a request is sent.
   *
   * @throws IllegalArgumentException saying why
   */
  public void checkUrl(URI url) {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https"))
        || url.getHost() == null
        || url.getHost().isBlank()) {
      throw new IllegalArgumentException(
          "the url must be an absolute http or https URL with a host, not '" + url + "'");
    }
    String host = normalHost(url.getHost());
    if (allowedHosts.contains(host)) {
      return;
    }
    if (isRefusedName(host)) {
      throw new IllegalArgumentException(
          refusal(host, "always means this machine or a metadata service"));
    }
    if (isAddressLiteral(host)) {
      InetAddress address = literal(host);
      if (!isAllowed(address)) {
        throw new IllegalArgumentException(refusal(host, "is not a public address"));
      }
    }
  }

  /**
   * The addresses a request to {@code host} may connect to: all it resolves to, when every one of
   * them passes.
   *
   * @throws RefusedDestinationException when one does not, or the host is a refused name
   * @throws UnknownHostException when the host does not resolve
   */
  public List<InetAddress> resolve(String host) throws UnknownHostException {
    String name = normalHost(host);
    if (isRefusedName(name) && !allowedHosts.contains(name)) {
      throw new RefusedDestinationException(
          refusal(name, "always means this machine or a metadata service"));
    }
    InetAddress[] addresses = resolver.resolve(name);
    if (allowedHosts.contains(name)) {
      return List.of(addresses);
    }
    for (InetAddress address : addresses) {
      if (!isAllowed(address)) {
        throw new RefusedDestinationException(
            refusal(name, "resolves to " + address.getHostAddress() + ", which is not public"));
      }
    }
    return List.of(addresses);
  }

  /** Whether a request may go to this address. */
  public boolean isAllowed(InetAddress address) {
    if (allowedRanges.stream().anyMatch(range -> range.contains(address))) {
      return true;
    }
    return REFUSED.stream().noneMatch(range -> range.contains(address));
  }

  private static boolean isRefusedName(String host) {
    return REFUSED_NAMES.contains(host) || host.endsWith(".localhost");
  }

  private static String refusal(String host, String why) {
    return "the egress policy refuses '"
        + host
        + "': it "
        + why
        + " (orchestro.egress.allow can list it)";
  }

  /** Lower case, without the brackets of an IPv6 literal and without a final dot. */
  private static String normalHost(String host) {
    String name = host.strip().toLowerCase(Locale.ROOT);
    if (name.startsWith("[") && name.endsWith("]")) {
      name = name.substring(1, name.length() - 1);
    }
    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }

  private static boolean isAddressOrRange(String entry) {
    String host = normalHost(entry);
    int slash = host.indexOf('/');
    return isAddressLiteral(slash < 0 ? host : host.substring(0, slash));
  }

  /** An IPv4 dotted quad or an IPv6 literal: what {@link InetAddress} parses without DNS. */
  static boolean isAddressLiteral(String host) {
    return host.contains(":") || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
  }

  /** Parses an address literal; never asks DNS, since the text is already an address. */
  static InetAddress literal(String host) {
    try {
      return InetAddress.getByName(normalHost(host));
    } catch (UnknownHostException malformed) {
      throw new IllegalArgumentException("'" + host + "' is not an IP address");
    }
  }

  /**
   * A destination the policy refuses. An {@link UnknownHostException} so that HTTP clients' name
   * resolvers may throw it: to a client it is a host that cannot be reached.
   */
  public static final class RefusedDestinationException extends UnknownHostException {
    public RefusedDestinationException(String reason) {
      super(reason);
    }
  }

  /** An address range: the first {@code bits} bits of {@code network}. */
  record Cidr(byte[] network, int bits) {

    static Cidr parse(String text) {
      String host = normalHost(text);
      int slash = host.indexOf('/');
      InetAddress address = literal(slash < 0 ? host : host.substring(0, slash));
      byte[] bytes = address.getAddress();
      int bits = bytes.length * 8;
      if (slash >= 0) {
        try {
          bits = Integer.parseInt(host.substring(slash + 1));
        } catch (NumberFormatException notANumber) {
          bits = -1;
        }
        if (bits < 0 || bits > bytes.length * 8) {
          throw new IllegalArgumentException("'" + text + "' is not a CIDR range");
        }
      }
      return new Cidr(bytes, bits);
    }

    boolean contains(InetAddress address) {
      byte[] bytes = address.getAddress();
      if (bytes.length != network.length) {
        return false;
      }
      int whole = bits / 8;
      if (!Arrays.equals(bytes, 0, whole, network, 0, whole)) {
        return false;
      }
      int rest = bits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = 0xff << (8 - rest);
      return (bytes[whole] & mask) == (network[whole] & mask);
    }
  }
}
