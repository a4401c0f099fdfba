package io.orchestro.threads.bootstrap;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code orchestro.egress.*}: where webhooks and the {@code http} and {@code llm} agents may send
 * requests.
 *
 * @param allow host names, addresses and CIDR ranges that may be reached although they are not
 *     public (a model server on this machine, a receiver on the private network), comma-separated
 */
@ConfigurationProperties("orchestro.egress")
public record EgressProperties(@DefaultValue List<String> allow) {}
