// Schedules (#/schedules): every cron schedule with its next run times, enabled or disabled here.
// Schedules are created and changed through the API (PUT /api/schedules/{name}); this page lists
// them and switches them on and off.

import { api } from './api.js';
import { announce, h, notifyError, timeElement } from './ui.js';

const NEXT_RUNS_SHOWN = 3;

export function createSchedulePage(container) {
  const body = h('tbody', { id: 'schedule-rows' });
  const empty = h('p', { class: 'muted', id: 'schedules-empty', hidden: true },
    'No schedules yet. Create one with PUT /api/schedules/{name} (see the API documentation).');
  const heading = h('h1', { id: 'schedules-title', tabindex: '-1' }, 'Schedules');
  container.replaceChildren(h('section', { class: 'schedules' },
    heading,
    h('p', { class: 'lead' },
      'Each due time of an enabled schedule starts one thread. Times are shown in your time zone; '
      + 'each schedule reads its cron in its own.'),
    h('table', { class: 'card schedule-table', id: 'schedule-table' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, 'Name'),
        h('th', { scope: 'col' }, 'When'),
        h('th', { scope: 'col' }, 'Workflow'),
        h('th', { scope: 'col' }, 'Next runs'),
        h('th', { scope: 'col' }, 'Last run'),
        h('th', { scope: 'col' }, 'State'))),
      body),
    empty));

  let destroyed = false;

  function row(schedule) {
    const toggle = h('button', {
      type: 'button',
      class: 'button small',
      'data-schedule': schedule.name,
      'aria-pressed': String(schedule.enabled),
      onclick: () => setEnabled(schedule, !schedule.enabled, toggle),
    }, schedule.enabled ? 'Disable' : 'Enable');
    const nextRuns = schedule.next_runs.length === 0
      ? h('span', { class: 'muted' }, 'none while disabled')
      : h('ul', { class: 'next-runs' },
        schedule.next_runs.slice(0, NEXT_RUNS_SHOWN).map((time) => h('li', {}, timeElement(time))));
    const lastRun = schedule.last_run_at
      ? h('a', { href: `#/threads/${encodeURIComponent(schedule.last_thread_id)}` },
        timeElement(schedule.last_run_at))
      : h('span', { class: 'muted' }, 'never');
    return h('tr', { 'data-name': schedule.name },
      h('th', { scope: 'row' }, schedule.name),
      h('td', {}, h('code', {}, schedule.cron), ' ', h('span', { class: 'muted' }, schedule.zone)),
      h('td', {}, schedule.workflow_type),
      h('td', {}, nextRuns),
      h('td', {}, lastRun),
      h('td', {}, h('span', { class: 'schedule-state' }, schedule.enabled ? 'Enabled' : 'Disabled'),
        ' ', toggle));
  }

  async function setEnabled(schedule, enabled, button) {
    button.disabled = true;
    try {
      // PUT takes the whole definition: the same one with only `enabled` changed
      await api.putSchedule(schedule.name, {
        cron: schedule.cron,
        zone: schedule.zone,
        workflow_type: schedule.workflow_type,
        prompt: schedule.prompt,
        input: schedule.input,
        enabled,
      });
      announce(`Schedule ${schedule.name} ${enabled ? 'enabled' : 'disabled'}`);
      await load();
    } catch (failure) {
      button.disabled = false;
      notifyError(`${enabled ? 'enable' : 'disable'} schedule ${schedule.name}`, failure);
    }
  }

  async function load() {
    try {
      const schedules = await api.listSchedules();
      if (destroyed) return;
      body.replaceChildren(...schedules.map(row));
      empty.hidden = schedules.length > 0;
    } catch (failure) {
      notifyError('load the schedules', failure);
    }
  }

  document.title = 'Schedules · Orchestro Threads';
  load();
  return {
    focus: () => heading.focus(),
    destroy() { destroyed = true; },
  };
}
