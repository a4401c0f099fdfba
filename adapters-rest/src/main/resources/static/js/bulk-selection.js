// Many threads at once: rows ticked by hand, or every thread matching the list's filter, paused,
// resumed, retried or deleted with one call of POST /api/threads/bulk. Each thread follows the
// lifecycle table; the ones it refuses are skipped, and the answer says how many.

import { api } from './api.js';
import { h, notify, notifyError, confirmDialog } from './ui.js';

const ACTIONS = [
  { name: 'pause', label: 'Pause', done: 'Paused' },
  { name: 'resume', label: 'Resume', done: 'Resumed' },
  { name: 'retry', label: 'Retry', done: 'Retried' },
  { name: 'delete', label: 'Delete', done: 'Deleted', danger: true },
];

/**
 * `currentFilter()` gives the list's filter in the bulk call's terms, or null when it has a part
 * the bulk call cannot express; `afterChange()` runs when threads were changed.
 */
export function createBulkSelection({ currentFilter, afterChange }) {
  const selected = new Set();
  let pageIds = [];
  let matching = 0;
  let allMatching = false;

  const pageBox = h('input', { type: 'checkbox', id: 'select-page', 'aria-label': 'Select every thread on this page' });
  const summary = h('span', { id: 'bulk-summary', 'aria-live': 'polite' });
  const allLink = h('button', { type: 'button', class: 'link-button', id: 'select-all-matching' });
  const buttons = ACTIONS.map((action) => h('button', {
    type: 'button', class: action.danger ? 'button small danger' : 'button small',
    id: `bulk-${action.name}`, onclick: () => run(action),
  }, action.label));
  const bar = h('div', { class: 'bulk-bar', id: 'bulk-bar', role: 'group', 'aria-label': 'Selected threads', hidden: true },
    summary, allLink, h('span', { class: 'bulk-actions' }, ...buttons));

  pageBox.addEventListener('change', () => {
    allMatching = false;
    for (const id of pageIds) {
      if (pageBox.checked) selected.add(id);
      else selected.delete(id);
    }
    sync();
  });
  allLink.addEventListener('click', () => {
    allMatching = !allMatching;
    if (!allMatching) selected.clear();
    sync();
  });

  /** The tick box of one row. */
  function rowBox(thread) {
    const box = h('input', {
      type: 'checkbox', class: 'row-select', 'aria-label': `Select “${thread.title}”`,
      checked: allMatching || selected.has(thread.thread_id),
    });
    box.addEventListener('change', () => {
      allMatching = false;
      if (box.checked) selected.add(thread.thread_id);
      else selected.delete(thread.thread_id);
      sync();
    });
    return box;
  }

  /** A new page of the same list: ticks on threads no longer shown are dropped. */
  function showing(ids, total) {
    pageIds = ids;
    matching = total;
    for (const id of [...selected]) if (!ids.includes(id)) selected.delete(id);
    sync();
  }

  /** Another filter: nothing stays selected. */
  function reset() {
    selected.clear();
    allMatching = false;
    sync();
  }

  function count() {
    return allMatching ? matching : selected.size;
  }

  function sync() {
    const onPage = pageIds.filter((id) => selected.has(id)).length;
    pageBox.checked = allMatching || (pageIds.length > 0 && onPage === pageIds.length);
    pageBox.indeterminate = !pageBox.checked && onPage > 0;
    for (const box of document.querySelectorAll('#thread-items .row-select')) {
      box.checked = allMatching || selected.has(box.closest('[data-thread-id]').dataset.threadId);
    }
    bar.hidden = count() === 0;
    summary.textContent = allMatching
      ? `All ${matching.toLocaleString()} threads matching this filter are selected.`
      : `${selected.size.toLocaleString()} selected.`;
    // offered once the whole page is ticked and more threads match than it shows
    const offerAll = pageBox.checked && matching > pageIds.length && currentFilter() !== null;
    allLink.hidden = !offerAll && !allMatching;
    allLink.textContent = allMatching ? 'Clear the selection'
      : `Select all ${matching.toLocaleString()} matching this filter`;
  }

  async function run(action) {
    const n = count();
    if (action.name === 'delete') {
      const confirmed = await confirmDialog({
        title: `Delete ${n.toLocaleString()} ${n === 1 ? 'thread' : 'threads'}?`,
        message: 'They and their history will be deleted; running steps are stopped. This cannot be undone.',
        confirmLabel: 'Delete threads',
      });
      if (!confirmed) return;
    }
    const filter = allMatching ? currentFilter() : { thread_ids: [...selected] };
    buttons.forEach((button) => { button.disabled = true; });
    try {
      const result = await api.bulk(action.name, filter);
      const skipped = result.skipped ? `; ${result.skipped.toLocaleString()} skipped, as their status does not allow it` : '';
      notify(`${action.done} ${result.changed.toLocaleString()} of ${result.matched.toLocaleString()}${skipped}.`,
        { kind: 'success' });
      reset();
      afterChange();
    } catch (failure) {
      notifyError(`${action.name} the selected threads`, failure);
    } finally {
      buttons.forEach((button) => { button.disabled = false; });
    }
  }

  return { bar, pageBox, rowBox, showing, reset };
}
