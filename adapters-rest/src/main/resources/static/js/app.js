// The dashboard: hash routes (#/ and #/threads/{id}), the sidebar and the stream of all events.

import { api } from './api.js';
import { openStream, STATE_TEXT } from './live.js';
import { createThreadList } from './thread-list.js';
import { createThreadPage } from './thread-page.js';
import { createHomePage } from './home-page.js';
import { createSchedulePage } from './schedule-page.js';
import { h, notify } from './ui.js';

const main = document.getElementById('main');
const threadList = createThreadList(document.getElementById('sidebar'));
const liveStatus = document.getElementById('live-status');
let page = null;
let firstRoute = true;

const reconnect = h('button', { type: 'button', class: 'button small', id: 'live-reconnect', hidden: true },
  'Reconnect');
liveStatus.after(reconnect);

const allEvents = openStream(api.allEventsUrl(), {
  onEvent: (event) => threadList.onEvent(event),
  onState(state) {
    liveStatus.dataset.state = state;
    liveStatus.textContent = STATE_TEXT[state];
    reconnect.hidden = state !== 'closed';
  },
  // events missed while the stream was down are resent only when one had been seen before
  onReopen: () => threadList.reload(),
});
reconnect.addEventListener('click', () => allEvents.reconnect());

function route() {
  const hash = window.location.hash || '#/';
  if (!hash.startsWith('#/')) return; // an in-page anchor, not a route
  page?.destroy();
  const match = hash.match(/^#\/threads\/([^/?#]+)$/);
  if (hash === '#/schedules') {
    document.body.dataset.route = 'schedules';
    threadList.setActive(null);
    page = createSchedulePage(main);
    if (!firstRoute) page.focus();
  } else if (match) {
    const id = decodeURIComponent(match[1]);
    document.body.dataset.route = 'thread';
    threadList.setActive(id);
    page = createThreadPage(main, id, { threadList });
  } else {
    document.body.dataset.route = 'home';
    document.title = 'Orchestro Threads';
    threadList.setActive(null);
    page = createHomePage(main, { threadList });
    if (hash !== '#/') history.replaceState(null, '', '#/');
    // a new view takes the focus, as a new page would; on first load the prompt box has it
    if (firstRoute) document.getElementById('prompt').focus();
    else page.focus();
  }
  firstRoute = false;
  window.scrollTo(0, 0);
}

document.getElementById('skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});

// a failure nobody expected is still shown, not left in the console alone
window.addEventListener('unhandledrejection', (event) => {
  notify(event.reason?.detail || event.reason?.message || String(event.reason),
    { title: 'Something went wrong' });
});
window.addEventListener('error', (event) => notify(event.message, { title: 'Something went wrong' }));

window.addEventListener('hashchange', route);
route();
threadList.reload();
