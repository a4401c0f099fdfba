// Any URL the dashboard has no page for.

import { h } from './ui.js';

export function createNotFoundPage(container) {
  const title = h('h1', { id: 'not-found-title', tabindex: '-1' }, 'Page not found');
  document.title = 'Page not found · Orchestro Threads';
  container.replaceChildren(h('section', { class: 'card missing' },
    title,
    h('p', { role: 'alert' }, 'The dashboard has no page at this address.'),
    h('a', { href: '#/' }, 'Back to all threads')));
  return { destroy() {}, focus: () => title.focus({ preventScroll: true }) };
}
