// The overview (#/): counts per status that filter, the failed threads that need attention, and
// every thread in a table, filtered by status, workflow type and text, a page at a time. The
// filters and the page live in the URL (#/?status=failed&type=research&q=harbour&page=2), so a view
// can be bookmarked, shared and gone back to.

import { api } from './api.js';
import { MEMBERSHIP_EVENTS, NOT_THREAD_CHANGES, STATUS_EVENTS } from './event-types.js';
import { createBulkSelection } from './bulk-selection.js';
import { h, statusBadge, progressBar, timeElement, throttle, STATUS_LABEL } from './ui.js';

const PAGE_SIZE = 50;
const ATTENTION_SIZE = 5;
/** Live updates reload the list and the counts at most this often, however many events come. */
const REFRESH_INTERVAL = 1000;
const SEARCH_DELAY = 300;

/** The status filters by the name they have in the URL; '' is every status. */
const STATUS_FILTERS = {
  '': { label: 'All statuses', statuses: [] },
  active: { label: 'Active (pending, running, paused)', statuses: ['pending', 'running', 'paused'] },
  ...Object.fromEntries(Object.entries(STATUS_LABEL).map(([status, label]) => [status,
    { label, statuses: [status] }])),
};

/** The view the URL asks for; anything it does not understand is left at its default. */
export function viewFromParams(params) {
  const page = Number.parseInt(params.get('page') || '1', 10);
  const status = params.get('status') || '';
  return {
    status: status in STATUS_FILTERS ? status : '',
    type: params.get('type') || '',
    q: params.get('q') || '',
    page: Number.isSafeInteger(page) && page > 0 ? page - 1 : 0,
  };
}

function hashOf(view) {
  const params = new URLSearchParams();
  if (view.status) params.set('status', view.status);
  if (view.type) params.set('type', view.type);
  if (view.q) params.set('q', view.q);
  if (view.page > 0) params.set('page', view.page + 1);
  const query = params.toString();
  return query ? `#/?${query}` : '#/';
}

export function createOverviewPage(container, params) {
  let view = viewFromParams(params);
  let total = 0;
  let items = new Map();

  const tiles = h('div', { class: 'tiles', id: 'status-tiles', role: 'group', 'aria-label': 'Threads per status' });
  const attentionList = h('ul', { class: 'attention-list', id: 'attention-items' });
  const attentionMore = h('a', { id: 'attention-all', href: hashOf({ status: 'failed', type: '', q: '', page: 0 }) });
  const attention = h('section', { class: 'card attention', id: 'needs-attention', 'aria-labelledby': 'attention-heading', hidden: true },
    h('h2', { id: 'attention-heading' }, 'Needs attention'),
    h('p', { class: 'hint' }, 'These threads failed; open one to see why and retry it.'),
    attentionList, attentionMore);

  const statusSelect = h('select', { id: 'status-filter', name: 'status' },
    Object.entries(STATUS_FILTERS).map(([key, filter]) => h('option', { value: key }, filter.label)));
  const typeSelect = h('select', { id: 'type-filter', name: 'type' },
    h('option', { value: '' }, 'All workflow types'));
  const search = h('input', {
    type: 'search', id: 'search', name: 'q', placeholder: 'Title or prompt', autocomplete: 'off',
  });
  const count = h('span', { class: 'count', id: 'thread-count' });
  const error = h('div', { class: 'inline-error', role: 'alert', hidden: true });
  const rows = h('tbody', { id: 'thread-items' });
  const bulk = createBulkSelection({
    // the bulk call's filter has no text search: with one, only ticked rows can be changed
    currentFilter: () => (view.q ? null : {
      status: STATUS_FILTERS[view.status].statuses,
      ...(view.type ? { workflow_type: view.type } : {}),
    }),
    afterChange: () => {
      loadList.now();
      loadCounts.now();
    },
  });
  const empty = h('p', { class: 'empty', id: 'list-empty', hidden: true });
  const newer = h('button', { type: 'button', class: 'button small', id: 'page-newer' }, '‹ Newer');
  const older = h('button', { type: 'button', class: 'button small', id: 'page-older' }, 'Older ›');
  const range = h('span', { class: 'page-range', id: 'page-range', 'aria-live': 'polite' });

  container.replaceChildren(h('div', { class: 'overview' },
    h('h1', { id: 'overview-title', tabindex: '-1' }, 'Threads ', count),
    tiles,
    attention,
    h('section', { class: 'card list-card', 'aria-labelledby': 'overview-title' },
      h('div', { class: 'filters', role: 'search' },
        h('label', { for: 'search' }, 'Search', search),
        h('label', { for: 'status-filter' }, 'Status', statusSelect),
        h('label', { for: 'type-filter' }, 'Workflow type', typeSelect)),
      error,
      bulk.bar,
      h('div', { class: 'table-wrap' },
        h('table', { class: 'thread-table' },
          h('thead', {}, h('tr', {},
            h('th', { scope: 'col', class: 'col-select' }, bulk.pageBox),
            h('th', { scope: 'col' }, 'Title'),
            h('th', { scope: 'col' }, 'Status'),
            h('th', { scope: 'col', class: 'col-progress' }, 'Progress'),
            h('th', { scope: 'col' }, 'Workflow'),
            h('th', { scope: 'col' }, 'Created'))),
          rows)),
      empty,
      h('nav', { class: 'pager', 'aria-label': 'Thread pages' }, newer, range, older))));

  statusSelect.addEventListener('change', () => go({ status: statusSelect.value, page: 0 }));
  typeSelect.addEventListener('change', () => go({ type: typeSelect.value, page: 0 }));
  let searchTimer = null;
  search.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => go({ q: search.value.trim(), page: 0 }), SEARCH_DELAY);
  });
  newer.addEventListener('click', () => go({ page: view.page - 1 }));
  older.addEventListener('click', () => go({ page: view.page + 1 }));

  /** A change of view is a new URL: the router hands it back through update(). */
  function go(change) {
    const next = hashOf({ ...view, ...change });
    if (next !== window.location.hash) window.location.hash = next;
  }

  const loadList = throttle(async () => {
    const asked = view;
    let page;
    try {
      page = await api.listThreads({
        statuses: STATUS_FILTERS[asked.status].statuses, workflowType: asked.type, q: asked.q,
        page: asked.page, size: PAGE_SIZE,
      });
    } catch (failure) {
      error.textContent = `Could not load the threads: ${failure.detail}`;
      error.hidden = false;
      return;
    }
    if (asked !== view) return; // the person moved on; the run after this one loads their view
    error.hidden = true;
    if (page.items.length === 0 && view.page > 0 && page.total > 0) {
      // the page emptied under us (deletions): show the last one that has threads
      go({ page: Math.max(0, Math.ceil(page.total / PAGE_SIZE) - 1) });
      return;
    }
    total = page.total;
    items = new Map(page.items.map((thread) => [thread.thread_id, thread]));
    renderList();
    bulk.showing([...items.keys()], total);
  }, REFRESH_INTERVAL);

  const loadCounts = throttle(async () => {
    const asked = view;
    let counts;
    let failed;
    try {
      [counts, failed] = await Promise.all([
        api.countThreads({ workflowType: asked.type, q: asked.q }),
        api.listThreads({ statuses: ['failed'], size: ATTENTION_SIZE }),
      ]);
    } catch {
      return; // the list says what went wrong
    }
    if (asked !== view) return;
    renderTiles(counts);
    renderAttention(failed);
  }, REFRESH_INTERVAL);

  function renderTiles(counts) {
    const tile = (key, label, number) => h('a', {
      class: 'tile', href: hashOf({ ...view, status: key, page: 0 }), 'data-status': key || 'all',
      'aria-current': view.status === key ? 'true' : null,
    }, h('span', { class: 'tile-count' }, number.toLocaleString()), h('span', { class: 'tile-label' }, label));
    tiles.replaceChildren(
      tile('', 'All', counts.total),
      ...Object.entries(counts.by_status).map(([status, number]) => tile(status, STATUS_LABEL[status], number)));
  }

  function renderAttention(failed) {
    attention.hidden = failed.total === 0;
    attentionList.replaceChildren(...failed.items.map((thread) => h('li', { 'data-thread-id': thread.thread_id },
      h('a', { href: `#/threads/${thread.thread_id}`, class: 'thread-title', title: thread.title }, thread.title),
      h('span', { class: 'attention-error' }, thread.error_message || ''),
      timeElement(thread.finished_at || thread.last_updated, { short: true }))));
    attentionMore.textContent = `Show all ${failed.total.toLocaleString()} failed`;
  }

  function renderList() {
    const focusedId = document.activeElement?.closest?.('#thread-items [data-thread-id]')?.dataset.threadId;
    rows.replaceChildren(...[...items.values()].map(renderRow));
    if (focusedId) rows.querySelector(`[data-thread-id="${CSS.escape(focusedId)}"] a`)?.focus();

    count.textContent = `(${total.toLocaleString()})`;
    const first = view.page * PAGE_SIZE;
    range.textContent = total === 0 ? ''
      : `${(first + 1).toLocaleString()}–${(first + items.size).toLocaleString()} of ${total.toLocaleString()}`;
    newer.disabled = view.page === 0;
    older.disabled = first + items.size >= total;
    empty.hidden = items.size > 0;
    const filtered = view.status || view.type || view.q;
    empty.textContent = filtered ? 'No threads match these filters.'
      : 'No threads yet. Start a workflow to see it here.';
  }

  function renderRow(thread) {
    return h('tr', { 'data-thread-id': thread.thread_id, 'data-status': thread.status },
      h('td', { class: 'col-select' }, bulk.rowBox(thread)),
      h('td', { class: 'col-title' },
        h('a', { href: `#/threads/${thread.thread_id}`, class: 'thread-title', title: thread.title }, thread.title)),
      h('td', {}, statusBadge(thread.status)),
      h('td', { class: 'col-progress' }, progressBar({
        completed: thread.completed_steps, total: thread.total_steps, current: thread.current_step,
        status: thread.status, label: `Progress of ${thread.title}`,
      })),
      h('td', { class: 'col-type' }, thread.workflow_type),
      h('td', { class: 'col-created' }, timeElement(thread.created_at, { short: true })));
  }

  /** A live event: the row changes in place; the list and counts reload when they may differ. */
  function onEvent(event) {
    const shown = items.get(event.thread_id);
    if (shown && event.type !== 'thread_deleted' && !NOT_THREAD_CHANGES.has(event.type)) {
      const progress = event.progress || {};
      const updated = {
        ...shown,
        status: event.status ?? shown.status,
        completed_steps: progress.completed ?? shown.completed_steps,
        total_steps: progress.total ?? shown.total_steps,
        current_step: progress.current_step !== undefined ? progress.current_step : shown.current_step,
        percent: progress.percent ?? shown.percent,
        last_updated: event.at ?? shown.last_updated,
      };
      items.set(event.thread_id, updated);
      rows.querySelector(`[data-thread-id="${CSS.escape(event.thread_id)}"]`)?.replaceWith(renderRow(updated));
    }
    const membership = MEMBERSHIP_EVENTS.has(event.type);
    if (membership || STATUS_EVENTS.has(event.type)) loadCounts();
    if (membership || (STATUS_FILTERS[view.status].statuses.length > 0 && STATUS_EVENTS.has(event.type))) {
      loadList();
    }
  }

  function update(nextParams) {
    const next = viewFromParams(nextParams);
    if (next.status !== view.status || next.type !== view.type || next.q !== view.q) bulk.reset();
    view = next;
    statusSelect.value = view.status;
    typeSelect.value = view.type;
    if (search.value.trim() !== view.q && document.activeElement !== search) search.value = view.q;
    loadList.now();
    loadCounts.now();
  }

  api.listWorkflows().then((workflows) => {
    typeSelect.append(...workflows.map((workflow) => h('option', { value: workflow.type }, workflow.type)));
    typeSelect.value = view.type;
  }, () => {
    // the filter still works from the URL; the list's own error says when the service is down
  });

  update(params);
  search.value = view.q;

  return {
    onEvent,
    reload() {
      loadList.now();
      loadCounts.now();
    },
    update,
    destroy() {
      loadList.cancel();
      loadCounts.cancel();
      clearTimeout(searchTimer);
    },
    focus: () => document.getElementById('overview-title').focus({ preventScroll: true }),
  };
}
