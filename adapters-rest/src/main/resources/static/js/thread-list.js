// The sidebar: every thread, newest first, a page at a time, filtered by status, kept live.

import { api } from './api.js';
import { MEMBERSHIP_EVENTS, STATUS_EVENTS } from './event-types.js';
import { h, statusBadge, progressBar, timeElement, coalesce } from './ui.js';

const PAGE_SIZE = 50;

const FILTERS = [
  { label: 'All statuses', statuses: [] },
  { label: 'Active (pending, running, paused)', statuses: ['pending', 'running', 'paused'] },
  { label: 'Pending', statuses: ['pending'] },
  { label: 'Running', statuses: ['running'] },
  { label: 'Paused', statuses: ['paused'] },
  { label: 'Completed', statuses: ['completed'] },
  { label: 'Failed', statuses: ['failed'] },
];

export function createThreadList(container) {
  const state = { filter: 0, page: 0, total: 0, items: new Map(), activeId: null };

  const filterSelect = h('select', { id: 'status-filter', name: 'status' },
    FILTERS.map((filter, index) => h('option', { value: index }, filter.label)));
  const count = h('span', { class: 'count', id: 'thread-count' });
  const error = h('div', { class: 'inline-error', role: 'alert', hidden: true });
  const list = h('ul', { class: 'thread-list', id: 'thread-items', 'aria-labelledby': 'threads-heading' });
  const empty = h('p', { class: 'empty', hidden: true });
  const newer = h('button', { type: 'button', class: 'button small', id: 'page-newer' }, '‹ Newer');
  const older = h('button', { type: 'button', class: 'button small', id: 'page-older' }, 'Older ›');
  const range = h('span', { class: 'page-range', id: 'page-range', 'aria-live': 'polite' });

  container.append(
    h('div', { class: 'sidebar-head' },
      h('h2', { id: 'threads-heading' }, 'Threads ', count),
      h('label', { for: 'status-filter', class: 'filter-label' }, 'Show'),
      filterSelect),
    error, list, empty,
    h('nav', { class: 'pager', 'aria-label': 'Thread pages' }, newer, range, older));

  filterSelect.addEventListener('change', () => {
    state.filter = Number(filterSelect.value);
    state.page = 0;
    reload();
  });
  newer.addEventListener('click', () => { state.page -= 1; reload(); });
  older.addEventListener('click', () => { state.page += 1; reload(); });

  const reload = coalesce(async () => {
    let page;
    try {
      page = await api.listThreads({
        statuses: FILTERS[state.filter].statuses, page: state.page, size: PAGE_SIZE,
      });
    } catch (failure) {
      error.textContent = `Could not load the threads: ${failure.detail}`;
      error.hidden = false;
      return;
    }
    error.hidden = true;
    if (page.items.length === 0 && state.page > 0 && page.total > 0) {
      // the page emptied under us (deletions): show the last one that has threads
      state.page = Math.max(0, Math.ceil(page.total / PAGE_SIZE) - 1);
      reload();
      return;
    }
    state.total = page.total;
    state.items = new Map(page.items.map((thread) => [thread.thread_id, thread]));
    render();
  });

  function render() {
    const focusedId = document.activeElement?.closest?.('#thread-items [data-thread-id]')
      ?.dataset.threadId;
    list.replaceChildren(...[...state.items.values()].map(renderItem));
    if (focusedId) list.querySelector(`[data-thread-id="${CSS.escape(focusedId)}"] a`)?.focus();

    count.textContent = `(${state.total.toLocaleString()})`;
    const first = state.page * PAGE_SIZE;
    range.textContent = state.total === 0 ? ''
      : `${(first + 1).toLocaleString()}–${(first + state.items.size).toLocaleString()} of ${state.total.toLocaleString()}`;
    newer.disabled = state.page === 0;
    older.disabled = first + state.items.size >= state.total;
    empty.hidden = state.items.size > 0;
    empty.textContent = state.filter === 0
      ? 'No threads yet. Start a workflow to see it here.'
      : 'No threads with this status.';
  }

  function renderItem(thread) {
    const active = thread.thread_id === state.activeId;
    return h('li', { 'data-thread-id': thread.thread_id, 'data-status': thread.status },
      h('a', {
        href: `#/threads/${thread.thread_id}`, class: active ? 'thread-item active' : 'thread-item',
        'aria-current': active ? 'page' : null,
      },
      h('span', { class: 'thread-item-top' },
        h('span', { class: 'thread-title' }, thread.title),
        statusBadge(thread.status)),
      progressBar({
        completed: thread.completed_steps, total: thread.total_steps,
        current: thread.current_step,
        status: thread.status, label: `Progress of ${thread.title}`,
        aside: h('span', { class: 'thread-meta' },
          thread.workflow_type, ' · ', timeElement(thread.created_at, { short: true })),
      })));
  }

  /** A live event: the row changes in place; a page whose threads may differ is reloaded. */
  function onEvent(event) {
    const shown = state.items.get(event.thread_id);
    if (shown && event.type !== 'thread_deleted') {
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
      state.items.set(event.thread_id, updated);
      list.querySelector(`[data-thread-id="${CSS.escape(event.thread_id)}"]`)
        ?.replaceWith(renderItem(updated));
    }
    const filtered = FILTERS[state.filter].statuses.length > 0;
    if (MEMBERSHIP_EVENTS.has(event.type) || (filtered && STATUS_EVENTS.has(event.type))) {
      reload();
    }
  }

  function setActive(id) {
    state.activeId = id;
    for (const link of list.querySelectorAll('a.thread-item')) {
      const isActive = link.closest('li').dataset.threadId === id;
      link.classList.toggle('active', isActive);
      if (isActive) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
  }

  /** After the person deleted a thread here: gone at once, without waiting for its event. */
  function forget(id) {
    if (state.items.delete(id)) {
      state.total = Math.max(0, state.total - 1);
      render();
    }
    reload();
  }

  return { reload, onEvent, setActive, forget };
}
