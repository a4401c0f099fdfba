package io.orchestro.threads.bootstrap;

import io.orchestro.threads.adapters.webhooks.HttpWebhookSender;
import io.orchestro.threads.application.engine.WebhookDispatcher;
import io.orchestro.threads.application.port.out.DeliveryObserver;
import io.orchestro.threads.application.port.out.ThreadEventLog;
import io.orchestro.threads.application.port.out.WebhookSender;
import io.orchestro.threads.application.port.out.WebhookStore;
import io.orchestro.threads.application.service.WebhookService;
import io.orchestro.threads.domain.EgressPolicy;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Webhooks: the use cases, the HTTP sender (adapters-webhooks) and the dispatcher that delivers
 * from the event log. The dispatcher runs only in the service (not in a store-copy command), and
 * not at all with {@code orchestro.webhooks.enabled=false}.
 */
@Configuration(proxyBeanMethods = false)
class WebhooksConfiguration {

  @Bean
  WebhookService webhookService(
      WebhookStore store, ThreadEventLog log, Clock clock, EgressPolicy egress) {
    return new WebhookService(store, log, clock, egress);
  }

  @Bean
  HttpWebhookSender webhookSender(WebhooksProperties properties, EgressPolicy egress, Clock clock) {
    return new HttpWebhookSender(properties.timeout(), egress, clock);
  }

  /**
   * One task per webhook being delivered to; a receiver that hangs holds only its own task. A task
   * records its progress in the store, so stopping does not interrupt it ({@link
   * TaskThreads#stopWithoutInterrupting}).
   */
  @Bean(destroyMethod = "")
  @ConditionalOnWebApplication
  @ConditionalOnProperty(name = "orchestro.webhooks.enabled", matchIfMissing = true)
  ExecutorService webhookDeliveries() {
    return Executors.newCachedThreadPool(TaskThreads.daemons("orchestro-webhook-"));
  }

  @Bean
  @ConditionalOnWebApplication
  @ConditionalOnProperty(name = "orchestro.webhooks.enabled", matchIfMissing = true)
  DisposableBean webhookDeliveriesStop(ExecutorService webhookDeliveries) {
    return () -> TaskThreads.stopWithoutInterrupting(webhookDeliveries);
  }

  @Bean(initMethod = "start", destroyMethod = "close")
  @ConditionalOnWebApplication
  @ConditionalOnProperty(name = "orchestro.webhooks.enabled", matchIfMissing = true)
  WebhookDispatcher webhookDispatcher(
      WebhookStore store,
      ThreadEventLog log,
      WebhookSender sender,
      Clock clock,
      ExecutorService webhookDeliveries,
      WebhooksProperties properties,
      DeliveryObserver observer) {
    return new WebhookDispatcher(
        store,
        log,
        sender,
        clock,
        webhookDeliveries,
        properties.pollInterval(),
        properties.initialBackoff(),
        properties.maxBackoff(),
        properties.disableAfter(),
        observer);
  }
}
