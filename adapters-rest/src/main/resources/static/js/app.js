// The dashboard: who is signed in, hash routes, the stream of all events and what is shown while
// it is down.

import { api } from './api.js';
import { credential, signIn, signOut } from './credential.js';
import { openStream, STATE_TEXT } from './live.js';
import { createOverviewPage } from './overview-page.js';
import { createThreadPage } from './thread-page.js';
import { createStartPage } from './start-page.js';
import { createWorkflowsPage, createWorkflowPage } from './workflow-pages.js';
import { createWebhooksPage } from './webhooks-page.js';
import { createNotFoundPage } from './not-found-page.js';
import { createSchedulePage } from './schedule-page.js';
import { h, notify } from './ui.js';

const main = document.getElementById('main');
// every control of the page is in this fieldset, so that one switch disables them all while the
// service cannot be reached, and gives each back its own state afterwards
const controls = document.getElementById('controls');
const liveStatus = document.getElementById('live-status');
const banner = document.getElementById('connection-banner');
let page = null;
let pageName = null;
let seenLive = false;

const reconnect = h('button', { type: 'button', class: 'button small', id: 'live-reconnect', hidden: true },
  'Reconnect');
banner.append(reconnect);

/**
 * Who this tab acts as: `{ owner, role }`; 'sign-in' with the reason when the service wants a
 * credential (none given, or the one given was refused); null when the service cannot be reached,
 * in which case the page starts as before and the stream's banner says so.
 */
async function whoAmI() {
  try {
    return await api.me();
  } catch (error) {
    if (error.status === 401 || error.status === 403) {
      const refused = credential() !== null;
      signOut();
      return { signIn: refused ? `That credential was not accepted: ${error.detail}` : null };
    }
    return null;
  }
}

/** The sign-in form: a credential entered once, kept for this tab's session only. */
function showSignIn(reason) {
  document.body.dataset.route = 'sign-in';
  const input = h('input', {
    type: 'password', id: 'credential-input', autocomplete: 'off', spellcheck: 'false',
    required: true, 'aria-describedby': 'sign-in-help',
  });
  const error = h('div', { class: 'inline-error', role: 'alert', id: 'sign-in-error', hidden: !reason }, reason || '');
  const form = h('form', { class: 'card start-form', id: 'sign-in-form' },
    h('h1', {}, 'Sign in'),
    h('p', { class: 'hint', id: 'sign-in-help' },
      'This service asks for a credential: paste your API key or token. This browser tab keeps it until it is closed or you sign out; it is sent only to this service, in a header.'),
    h('label', { for: 'credential-input' }, 'API key or token'),
    input, error,
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'button primary', id: 'sign-in-button' }, 'Sign in')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!input.value.trim()) return;
    signIn(input.value.trim());
    window.location.reload();
  });
  main.replaceChildren(form);
  input.focus();
}

/** Says who is signed in, and offers signing out when a credential was entered here. */
function showCaller(me) {
  document.body.dataset.role = me.role;
  const who = h('span', { class: 'signed-in', id: 'signed-in-as' },
    h('span', { class: 'muted' }, 'Signed in as '), h('strong', { id: 'caller-owner' }, me.owner),
    ' ', h('span', { class: 'badge', id: 'caller-role' }, me.role));
  if (credential() !== null) {
    who.append(' ', h('button', {
      type: 'button', class: 'link-button', id: 'sign-out',
      onclick: () => {
        signOut();
        window.location.reload();
      },
    }, 'Sign out'));
  }
  liveStatus.after(who);
}

const me = await whoAmI();
if (me?.signIn !== undefined) {
  showSignIn(me.signIn);
} else {
  if (me) showCaller(me);
  start();
}

/** The dashboard itself: the stream of all events, and the page of the route. */
function start() {
  const allEvents = openStream(api.allEventsUrl(), {
    onEvent: (event) => page?.onEvent?.(event),
    onState(state) {
      liveStatus.dataset.state = state;
      liveStatus.textContent = STATE_TEXT[state];
      // the first connection is not a drop: only a stream that went down disables the controls
      const down = state === 'reconnecting' || state === 'closed';
      banner.hidden = !down;
      banner.querySelector('.banner-text').textContent = state === 'closed'
        ? 'Disconnected: live updates stopped. What you see may be out of date; reconnect to go on.'
        : 'Disconnected from the service: trying to reconnect. Actions are off until it is back.';
      reconnect.hidden = state !== 'closed';
      controls.disabled = down;
      document.body.dataset.connection = down ? 'down' : 'up';
      // what changed between the page's first load and the stream's start would go unseen
      if (state === 'live' && !seenLive) {
        seenLive = true;
        page?.reload?.();
      }
    },
    // events missed while the stream was down are resent only when one had been seen before
    onReopen: () => page?.reload?.(),
  });
  reconnect.addEventListener('click', () => allEvents.reconnect());

  const ROUTES = [
    { name: 'overview', pattern: /^#\/(?:\?(.*))?$/, create: (match) => createOverviewPage(main, params(match[1])) },
    { name: 'start', pattern: /^#\/new$/, create: () => createStartPage(main) },
    { name: 'thread', pattern: /^#\/threads\/([^/?#]+)$/, create: (match) => createThreadPage(main, decode(match[1])) },
    { name: 'workflows', pattern: /^#\/workflows$/, create: () => createWorkflowsPage(main) },
    { name: 'workflow', pattern: /^#\/workflows\/([^/?#]+)$/, create: (match) => createWorkflowPage(main, decode(match[1])) },
    { name: 'webhooks', pattern: /^#\/webhooks$/, create: () => createWebhooksPage(main) },
    { name: 'schedules', pattern: /^#\/schedules$/, create: () => createSchedulePage(main) },
  ];

  function params(query) {
    return new URLSearchParams(query || '');
  }

  function decode(segment) {
    try {
      return decodeURIComponent(segment);
    } catch {
      return segment; // a broken escape is just an id that matches nothing
    }
  }

  function route() {
    const hash = window.location.hash || '#/';
    if (!hash.startsWith('#/')) return; // an in-page anchor, not a route
    const found = ROUTES.map((candidate) => ({ candidate, match: hash.match(candidate.pattern) }))
      .find(({ match }) => match);
    if (found && found.candidate.name === pageName && page.update) {
      page.update(params(found.match[1]));
      return;
    }
    const first = page === null;
    page?.destroy();
    pageName = found ? found.candidate.name : 'not-found';
    document.body.dataset.route = pageName;
    document.title = 'Orchestro Threads';
    for (const link of document.querySelectorAll('.nav a')) {
      if (link.dataset.section === pageName.replace(/s$/, '')) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    page = found ? found.candidate.create(found.match) : createNotFoundPage(main);
    // a new view takes the focus, as a new page would, except on the first load of an overview
    if (!first || pageName === 'start') page.focus?.();
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
}
