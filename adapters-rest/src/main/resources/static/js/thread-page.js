// One thread: its status, times, progress, controls, every step and the timeline of its events,
// kept live by the events of the stream of all threads that concern it.

import { api } from './api.js';
import { SPOKEN_EVENTS } from './event-types.js';
import { activeMillis } from './durations.js';
import { createTimeline } from './timeline.js';
import {
  h, statusBadge, progressBar, timeElement, formatDuration, durationBetween, notify, notifyError,
  announce, confirmDialog, coalesce,
} from './ui.js';

/** An id the service could hold: anything else is not found without asking it. */
const THREAD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const ACTIONS = [
  { name: 'pause', label: 'Pause', call: api.pauseThread },
  { name: 'resume', label: 'Resume', call: api.resumeThread },
  { name: 'retry', label: 'Retry', call: api.retryThread },
  { name: 'cancel', label: 'Cancel thread', call: api.cancelThread },
];

export function createThreadPage(container, threadId) {
  let thread = null;
  let events = [];
  let busy = false;
  let gone = false;
  const openOutputs = new Set();
  // step name → the newest step_progress event of it: the text so far of a step in flight
  const liveTexts = new Map();

  const title = h('h1', { id: 'thread-title', tabindex: '-1' }, 'Loading…');
  const badgeSlot = h('span', { class: 'badge-slot', id: 'thread-status', 'aria-live': 'polite' });
  const workflow = h('span', { class: 'chip', id: 'thread-workflow' });
  const buttons = Object.fromEntries(ACTIONS.map((action) => [action.name,
    h('button', { type: 'button', class: 'button', id: `action-${action.name}`, disabled: true },
      action.label)]));
  const deleteButton = h('button',
    { type: 'button', class: 'button danger', id: 'action-delete', disabled: true }, 'Delete');
  const errorBox = h('div', { class: 'error-box', id: 'thread-error', hidden: true });
  const progressSlot = h('div', { class: 'progress-slot', id: 'thread-progress' });
  const times = h('dl', { class: 'times', id: 'thread-times' });
  // time at work: paused time and time failed before a retry are not counted
  const duration = h('span', { id: 'thread-duration', title: 'Time at work, without time paused' });
  const input = h('div', { class: 'input', id: 'thread-input' });
  const steps = h('ol', { class: 'steps', id: 'thread-steps' });
  const timeline = createTimeline();
  const body = h('div', { class: 'thread-body', hidden: true },
    errorBox,
    h('section', { class: 'card', 'aria-labelledby': 'progress-heading' },
      h('h2', { id: 'progress-heading' }, 'Progress'), progressSlot, times),
    h('section', { class: 'card', 'aria-labelledby': 'input-heading' },
      h('h2', { id: 'input-heading' }, 'Input'), input),
    h('section', { class: 'card', 'aria-labelledby': 'steps-heading' },
      h('h2', { id: 'steps-heading' }, 'Steps'), steps),
    h('section', { class: 'card', 'aria-labelledby': 'timeline-heading' },
      h('h2', { id: 'timeline-heading' }, 'Timeline'), timeline.element));
  const missing = h('div', { class: 'card missing', hidden: true });

  container.replaceChildren(h('article', { class: 'thread-page', 'data-thread-id': threadId },
    h('a', { href: '#/', class: 'back-link' }, '‹ All threads'),
    h('header', { class: 'thread-head' },
      h('div', { class: 'thread-head-text' },
        title,
        h('p', { class: 'thread-sub' }, badgeSlot, workflow,
          h('code', { class: 'thread-id', title: 'Thread id' }, threadId))),
      h('div', { class: 'actions', role: 'group', 'aria-label': 'Thread actions' },
        ...Object.values(buttons), deleteButton)),
    missing, body));

  const refresh = coalesce(async () => {
    if (gone) return;
    try {
      const [next, history] = await Promise.all([api.getThread(threadId), api.threadEvents(threadId)]);
      events = history;
      for (const event of history) {
        if (event.type === 'step_progress') liveTexts.set(event.step, event);
      }
      render(next);
    } catch (failure) {
      // 400 is an id that is not one (a hand-edited URL): for the person, no such thread either
      if (failure.status === 404 || failure.status === 400) showGone(threadId);
      else notifyError('load the thread', failure);
    }
  });

  for (const action of ACTIONS) {
    buttons[action.name].addEventListener('click', () => act(action));
  }
  deleteButton.addEventListener('click', remove);

  // running steps, and a thread at work, show how long they have been running so far
  const ticker = setInterval(() => {
    for (const element of container.querySelectorAll('[data-running-since]')) {
      element.textContent = formatDuration(durationBetween(element.dataset.runningSince, null));
    }
    if (thread && (thread.status === 'running' || thread.status === 'pending')) {
      duration.textContent = formatDuration(activeMillis(thread, events));
    }
  }, 1000);

  if (THREAD_ID.test(threadId)) refresh().then(() => title.focus({ preventScroll: true }));
  else showGone(threadId);

  async function act(action) {
    busy = true;
    updateButtons();
    try {
      render(await action.call(threadId));
    } catch (failure) {
      notifyError(`${action.name} the thread`, failure);
    } finally {
      busy = false;
      updateButtons();
    }
  }

  async function remove() {
    const confirmed = await confirmDialog({
      title: 'Delete this thread?',
      message: `“${thread.title}” and its history will be deleted; a running step is stopped. This cannot be undone.`,
      confirmLabel: 'Delete thread',
    });
    if (!confirmed) {
      deleteButton.focus();
      return;
    }
    busy = true;
    updateButtons();
    try {
      await api.deleteThread(threadId);
    } catch (failure) {
      busy = false;
      updateButtons();
      notifyError('delete the thread', failure);
      return;
    }
    gone = true;
    notify(`Deleted “${thread.title}”.`, { kind: 'success' });
    window.location.hash = '#/';
  }

  function updateButtons() {
    // the server says which calls would change the thread now, so the page never guesses
    const allowed = thread && !gone ? thread.allowed_actions : [];
    for (const action of ACTIONS) buttons[action.name].disabled = busy || !allowed.includes(action.name);
    deleteButton.disabled = busy || !allowed.includes('delete');
  }

  function render(next) {
    if (gone) return;
    thread = next;
    document.title = `${thread.title} · Orchestro Threads`;
    title.textContent = thread.title;
    badgeSlot.replaceChildren(statusBadge(thread.status));
    workflow.textContent = thread.workflow_type;
    updateButtons();

    errorBox.hidden = !thread.error_message;
    errorBox.replaceChildren(h('strong', {}, 'Failed: '), thread.error_message || '');
    progressSlot.replaceChildren(progressBar({
      completed: thread.completed_steps, total: thread.total_steps, status: thread.status,
      current: thread.current_step, large: true,
      label: 'Thread progress',
    }), h('p', { class: 'progress-caption' }, caption(thread)));

    duration.textContent = formatDuration(activeMillis(thread, events));
    times.replaceChildren(
      ...term('Created', timeElement(thread.created_at)),
      ...term('Started', timeElement(thread.start_time)),
      ...term('Last update', timeElement(thread.last_updated)),
      ...term('Finished', timeElement(thread.finished_at)),
      ...term('Duration', duration));
    timeline.render(events);

    renderInput(thread.input);
    renderSteps(thread.steps);
    body.hidden = false;
  }

  function caption(current) {
    const step = current.current_step ? `“${current.current_step}”` : 'the next step';
    switch (current.status) {
      case 'completed': return `Completed all ${current.total_steps} steps.`;
      case 'running': return `${current.percent}% done, running ${step}.`;
      case 'pending': return `${current.percent}% done, waiting to run ${step}.`;
      case 'paused': return `${current.percent}% done, paused at ${step}.`;
      case 'failed': return `Stopped at ${step}; a retry runs it again.`;
      default: return `${current.percent}% done.`;
    }
  }

  function renderInput(values) {
    const { prompt, ...rest } = values || {};
    input.replaceChildren(
      prompt ? h('blockquote', { class: 'prompt' }, prompt) : h('p', { class: 'muted' }, 'No prompt.'));
    if (Object.keys(rest).length > 0) input.append(h('pre', { class: 'json' }, JSON.stringify(rest, null, 2)));
  }

  function renderSteps(list) {
    steps.replaceChildren(...list.map((step, index) => {
      const duration = step.status === 'running'
        ? h('span', { 'data-running-since': step.started_at }, formatDuration(durationBetween(step.started_at, null)))
        : formatDuration(durationBetween(step.started_at, step.finished_at));
      const output = step.output === null
        ? null
        : h('details', { class: 'output', open: openOutputs.has(step.name),
          ontoggle: (event) => {
            if (event.target.open) openOutputs.add(step.name);
            else openOutputs.delete(step.name);
          } },
        h('summary', {}, 'Output'),
        h('pre', { class: 'json' }, JSON.stringify(step.output, null, 2)));
      return h('li', { class: 'step', 'data-step': step.name, 'data-status': step.status },
        h('div', { class: 'step-row' },
          h('span', { class: 'step-number', 'aria-hidden': 'true' }, index + 1),
          h('span', { class: 'step-name' }, step.name,
            h('span', { class: 'step-agent' }, ` · ${step.agent}`)),
          statusBadge(step.status),
          h('span', { class: 'step-facts' },
            h('span', { class: 'step-attempts' }, `${step.attempts} ${step.attempts === 1 ? 'attempt' : 'attempts'}`),
            h('span', { class: 'step-duration' }, duration))),
        step.error ? h('p', { class: 'step-error' }, h('strong', {}, 'Error: '), step.error) : null,
        liveText(step),
        output);
    }));
  }

  /** The text so far of a step in flight (an llm step's answer as it streams), or null. */
  function liveText(step) {
    const newest = liveTexts.get(step.name);
    if (step.status !== 'running' || !newest || newest.attempt !== step.attempts) return null;
    return h('pre', { class: 'live-text', 'data-live-step': step.name, 'aria-label': `${step.name} so far` },
      newest.detail);
  }

  /** A step_progress event: only the step's text changes, without reloading the thread. */
  function showProgress(event) {
    const known = liveTexts.get(event.step);
    if (known && known.seq > event.seq) return;
    liveTexts.set(event.step, event);
    const shown = steps.querySelector(`[data-live-step="${CSS.escape(event.step)}"]`);
    if (shown) {
      shown.textContent = event.detail;
      return;
    }
    const step = thread?.steps.find((each) => each.name === event.step);
    if (!step || step.attempts < event.attempt || step.status === 'pending') {
      refresh(); // the page has not seen this attempt start yet
      return;
    }
    const item = steps.querySelector(`[data-step="${CSS.escape(event.step)}"]`);
    const text = liveText(step);
    if (item && text) item.querySelector('.step-row').after(text);
  }

  function showGone(id, deleted = false) {
    gone = true;
    updateButtons();
    body.hidden = true;
    if (!thread) title.textContent = 'Thread not found';
    document.title = `${title.textContent} · Orchestro Threads`;
    missing.replaceChildren(
      h('p', { role: 'alert' }, deleted ? 'This thread was deleted.' : `There is no thread with the id “${id}”.`),
      h('a', { href: '#/' }, 'Back to all threads'));
    missing.hidden = false;
  }

  function onEvent(event) {
    if (event.thread_id !== threadId || gone) return;
    if (event.type === 'thread_deleted') {
      showGone(threadId, true);
      return;
    }
    if (event.type === 'step_progress') {
      showProgress(event);
      return;
    }
    if (SPOKEN_EVENTS[event.type]) announce(`Thread ${SPOKEN_EVENTS[event.type]}.`);
    refresh();
  }

  return {
    onEvent,
    reload: refresh,
    destroy() {
      gone = true;
      clearInterval(ticker);
    },
    focus: () => title.focus({ preventScroll: true }),
  };
}

function term(name, value) {
  return [h('div', {}, h('dt', {}, name), h('dd', {}, value))];
}
