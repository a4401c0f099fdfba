package io.orchestro.threads.application.engine;

import io.orchestro.threads.application.port.out.DeliveryObserver;
import io.orchestro.threads.application.port.out.ThreadEventLog;
import io.orchestro.threads.application.port.out.WebhookSender;
import io.orchestro.threads.application.port.out.WebhookStore;
import io.orchestro.threads.domain.EventFilter;
import io.orchestro.threads.domain.LoggedEvent;
import io.orchestro.threads.domain.ThreadEvent;
import io.orchestro.threads.domain.Webhook;
import io.orchestro.threads.domain.WebhookDelivery;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Delivers events to webhooks from the durable event log, at least once each and in order: each
 * webhook's progress ({@link Webhook#deliveredUpTo}) is stored, and moves past an event only once
 * the receiver took it (2xx). A failed attempt is retried after a backoff that doubles each time
 * ({@code initialBackoff}, twice that, ..., at most {@code maxBackoff}) for as long as the receiver
 * stays down; later events wait behind it. A receiver whose attempts have failed in a row for
 * {@code disableAfter} is disabled: no more attempts until it is enabled again ({@code POST
 * /api/webhooks/{id}/enable}), the event it stopped at recorded as {@code disabled} among its
 * deliveries, a {@code webhook_disabled} event appended to the log (of the thread of that event, so
 * other webhooks and the event streams learn of it), and a warning logged. A crash between a
 * delivery and the saving of the progress sends that event again after the restart: receivers tell
 * repeats apart by the event's number (the {@code X-Orchestro-Event-Id} header).
 *
 * <p>One task per webhook at a time, on the given executor, so a slow receiver holds up only its
 * own deliveries. Woken when this node's events become readable, and every {@code pollInterval} for
 * other nodes' events and for backoffs that ended. Nodes sharing a database may work on the same
 * webhook at once; the stored progress is compare-and-set, so one of them stops, though an event
 * may then reach the receiver twice (at least once, as promised).
 */
public final class WebhookDispatcher implements AutoCloseable {

  private static final Logger LOG = System.getLogger(WebhookDispatcher.class.getName());
  private static final int BATCH = 100;

  private final WebhookStore store;
  private final ThreadEventLog log;
  private final WebhookSender sender;
  private final Clock clock;
  private final Executor executor;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration disableAfter;
  private final DeliveryObserver observer;
  private final Set<UUID> inFlight = ConcurrentHashMap.newKeySet();

  /**
   * Only the loop's thread uses it: whether the last list of webhooks was empty. A woken round then
   * reads nothing: with no webhook there is nobody to deliver to, and a webhook added since (on any
   * node) is found by the next unwoken round, within the poll interval, from where its progress
   * starts anyway.
   */
  private boolean noWebhooks;

  private final WakeableLoop loop;

  public WebhookDispatcher(
      WebhookStore store,
      ThreadEventLog log,
      WebhookSender sender,
      Clock clock,
      Executor executor,
      Duration pollInterval,
      Duration initialBackoff,
      Duration maxBackoff,
      Duration disableAfter,
      DeliveryObserver observer) {
    this.store = store;
    this.log = log;
    this.sender = sender;
    this.clock = clock;
    this.executor = executor;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.disableAfter = disableAfter;
    this.observer = observer;
    this.loop = new WakeableLoop("orchestro-webhooks", pollInterval, this::submitDue);
    log.onAppended(this::wake);
  }

  public void start() {
    loop.start();
  }

  /** False once its loop has died ({@link WakeableLoop#isAlive}). */
  public boolean isAlive() {
    return loop.isAlive();
  }

  @Override
  public void close() {
    loop.close();
  }

  void wake() {
    loop.wake();
  }

  /** The wait before the next attempt after {@code failedAttempts} failures in a row. */
  Duration backoffAfter(int failedAttempts) {
    Duration backoff = initialBackoff;
    for (int i = 1; i < failedAttempts && backoff.compareTo(maxBackoff) < 0; i++) {
      backoff = backoff.multipliedBy(2);
    }
    return backoff.compareTo(maxBackoff) > 0 ? maxBackoff : backoff;
  }

  private boolean failingTooLong(Webhook failing, Instant now) {
    return !Duration.between(failing.failingSince(), now).minus(disableAfter).isNegative();
  }

  /**
   * Starts a delivery task for each webhook that has events due and none running. A webhook that
   * has handled every readable event gets no task: most rounds, woken by each commit, find most
   * webhooks up to date, and would otherwise read the log twice per webhook to learn it. Woken
   * while the last list was empty, it reads nothing (see {@link #noWebhooks}).
   *
   * @param woken whether this node's events woke the round, rather than the poll interval
   */
  private void submitDue(boolean woken) {
    if (woken && noWebhooks) {
      // the common case, woken by every numbering round: no read at all
      return;
    }
    List<Webhook> webhooks = store.list();
    noWebhooks = webhooks.isEmpty();
    if (noWebhooks) {
      return;
    }
    Instant now = clock.instant();
    long readable = log.lastSeq();
    for (Webhook webhook : webhooks) {
      boolean behind = webhook.deliveredUpTo() < readable;
      if (behind && webhook.isDue(now) && inFlight.add(webhook.id())) {
        submit(webhook);
      }
    }
  }

  private void submit(Webhook webhook) {
    try {
      executor.execute(
          () -> {
            try {
              deliver(webhook);
            } catch (RuntimeException failed) {
              LOG.log(Level.WARNING, "delivering to webhook " + webhook.id() + " failed", failed);
            } finally {
              inFlight.remove(webhook.id());
            }
          });
    } catch (RejectedExecutionException stopping) {
      inFlight.remove(webhook.id());
    }
  }

  /** Delivers the webhook's next events until it is up to date, or an attempt fails. */
  void deliver(Webhook webhook) {
    EventFilter wanted = new EventFilter(null, webhook.eventTypes());
    Webhook current = webhook;
    while (true) {
      long readable = log.lastSeq();
      List<LoggedEvent> events = log.read(current.deliveredUpTo(), wanted, BATCH);
      if (events.isEmpty()) {
        // nothing it wants up to there: skip the rest, so the next read starts later
        if (readable > current.deliveredUpTo()) {
          store.saveProgress(current.handledUpTo(readable), current.deliveredUpTo());
        }
        return;
      }
      for (LoggedEvent event : events) {
        Instant attemptedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        WebhookSender.Outcome outcome = sender.send(current, event);
        int attempts = current.failedAttempts() + 1;
        if (!outcome.delivered()) {
          observer.webhookAttemptFailed();
        }
        Webhook next =
            outcome.delivered()
                ? current.handledUpTo(event.seq())
                : current.attemptFailed(attemptedAt, backoffAfter(attempts));
        boolean disabling = !outcome.delivered() && failingTooLong(next, attemptedAt);
        if (disabling) {
          next = next.disabled(attemptedAt);
        }
        store.recordDelivery(
            new WebhookDelivery(
                current.id(),
                event.seq(),
                event.event().type(),
                event.event().threadId(),
                outcome.delivered()
                    ? WebhookDelivery.Status.DELIVERED
                    : disabling ? WebhookDelivery.Status.DISABLED : WebhookDelivery.Status.RETRYING,
                attempts,
                attemptedAt,
                outcome.responseStatus(),
                outcome.error()));
        if (disabling) {
          log.appendOnItsOwn(
              ThreadEvent.webhookDisabled(
                  event.event(),
                  attemptedAt,
                  "webhook "
                      + current.id()
                      + " is disabled: its receiver has failed since "
                      + next.failingSince()
                      + "; POST /api/webhooks/"
                      + current.id()
                      + "/enable delivers again"));
          LOG.log(
              Level.WARNING,
              "webhook "
                  + current.id()
                  + " is disabled: its receiver has failed since "
                  + next.failingSince()
                  + " ("
                  + attempts
                  + " attempts at event "
                  + event.seq()
                  + ", the last: "
                  + outcome.error()
                  + "); POST /api/webhooks/"
                  + current.id()
                  + "/enable delivers again");
        }
        if (!store.saveProgress(next, current.deliveredUpTo()) || !outcome.delivered()) {
          // deleted, or another node delivers it; or the receiver is down: back off
          return;
        }
        current = next;
      }
    }
  }
}
