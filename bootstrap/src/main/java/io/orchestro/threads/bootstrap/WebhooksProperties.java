package io.orchestro.threads.bootstrap;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code orchestro.webhooks.*}: delivering events to webhooks.
 *
 * @param enabled whether this node delivers
 * @param pollInterval how often to look for deliveries without being woken: other nodes' events and
 *     ended backoffs are noticed this late at most
 * @param initialBackoff the wait after a first failed attempt; it doubles after each further one
 * @param maxBackoff the longest wait between attempts
 * @param timeout how long to wait for a receiver's connection, then for its answer
 * @param disableAfter how long a receiver's attempts may fail in a row before the webhook is
 *     disabled (its later events would otherwise wait for ever)
 */
@ConfigurationProperties("orchestro.webhooks")
public record WebhooksProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("1s") Duration pollInterval,
    @DefaultValue("1s") Duration initialBackoff,
    @DefaultValue("5m") Duration maxBackoff,
    @DefaultValue("10s") Duration timeout,
    @DefaultValue("5d") Duration disableAfter) {}
