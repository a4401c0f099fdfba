// #/webhooks: every webhook, where its delivery stands, and its latest deliveries on demand.

import { api } from './api.js';
import { h, timeElement } from './ui.js';

export function createWebhooksPage(container) {
  const title = h('h1', { id: 'webhooks-title', tabindex: '-1' }, 'Webhooks');
  const list = h('div', { class: 'webhooks', id: 'webhook-items' });
  const error = h('div', { class: 'inline-error', role: 'alert', hidden: true });
  document.title = 'Webhooks · Orchestro Threads';
  container.replaceChildren(h('section', { class: 'page-section' },
    title,
    h('p', { class: 'lead' }, 'Each webhook gets the events of its types POSTed to its URL, in order. Register one with POST /api/webhooks.'),
    error, list));

  api.listWebhooks().then((webhooks) => {
    if (webhooks.length === 0) list.replaceChildren(h('p', { class: 'empty' }, 'No webhooks yet.'));
    else list.replaceChildren(...webhooks.map(renderWebhook));
  }, (failure) => {
    error.textContent = `Could not load the webhooks: ${failure.detail}`;
    error.hidden = false;
  });

  function renderWebhook(webhook) {
    const deliveries = h('div', { class: 'deliveries' }, h('p', { class: 'muted' }, 'Loading…'));
    const details = h('details', { class: 'output' }, h('summary', {}, 'Latest deliveries'), deliveries);
    details.addEventListener('toggle', () => {
      if (details.open) loadDeliveries(webhook.webhook_id, deliveries);
    });
    // disabled after its receiver failed for too long: POST /api/webhooks/{id}/enable resumes it
    const state = webhook.enabled === false
      ? h('span', { class: 'badge', 'data-status': 'failed' }, 'Disabled: receiver failing too long')
      : webhook.failed_attempts > 0
      ? h('span', { class: 'badge', 'data-status': 'failed' },
        `${webhook.failed_attempts} failed ${webhook.failed_attempts === 1 ? 'attempt' : 'attempts'} in a row`)
      : h('span', { class: 'badge', 'data-status': 'completed' }, 'Up to date');
    return h('section', { class: 'card webhook', 'data-webhook-id': webhook.webhook_id },
      h('h2', { class: 'webhook-url' }, webhook.url),
      h('p', { class: 'thread-sub' }, state,
        h('span', { class: 'muted' }, webhook.event_types.length ? webhook.event_types.join(', ') : 'every event type'),
        h('span', { class: 'muted' }, `delivered up to event ${webhook.delivered_up_to}`),
        webhook.next_attempt_at ? h('span', { class: 'muted' }, 'next attempt ', timeElement(webhook.next_attempt_at)) : null),
      details);
  }

  async function loadDeliveries(id, into) {
    let deliveries;
    try {
      deliveries = await api.webhookDeliveries(id);
    } catch (failure) {
      into.replaceChildren(h('p', { class: 'inline-error', role: 'alert' }, failure.detail));
      return;
    }
    if (deliveries.length === 0) {
      into.replaceChildren(h('p', { class: 'muted' }, 'Nothing delivered yet.'));
      return;
    }
    into.replaceChildren(h('table', { class: 'thread-table deliveries-table' },
      h('thead', {}, h('tr', {}, ...['Event', 'Type', 'Thread', 'Status', 'Attempts', 'Last attempt', 'Answer']
        .map((name) => h('th', { scope: 'col' }, name)))),
      h('tbody', {}, ...deliveries.map((delivery) => h('tr', { 'data-seq': delivery.seq, 'data-status': delivery.status },
        h('td', {}, delivery.seq),
        h('td', {}, delivery.event_type),
        h('td', {}, h('a', { href: `#/threads/${delivery.thread_id}` }, delivery.thread_id.slice(0, 8))),
        h('td', {}, delivery.status),
        h('td', {}, delivery.attempts),
        h('td', {}, timeElement(delivery.last_attempt_at, { short: true })),
        h('td', {}, delivery.error || delivery.response_status || '—'))))));
  }

  return { destroy() {}, focus: () => title.focus({ preventScroll: true }) };
}
