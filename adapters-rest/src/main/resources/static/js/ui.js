// Small building blocks shared by the views: elements, badges, progress bars, times, notices.

/** Creates an element; text children become text nodes, so nothing is ever parsed as HTML. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'class') element.className = value;
    else if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false)
    .map((c) => (c instanceof Node ? c : String(c))));
  return element;
}

const SVG = 'http://www.w3.org/2000/svg';

/** A shape per status, so that colour is never the only signal (the word is there too). */
const ICON_SHAPES = {
  pending: [['circle', { cx: 8, cy: 8, r: 5.5 }]],
  running: [['circle', { cx: 8, cy: 8, r: 5.5, class: 'icon-faint' }],
    ['path', { d: 'M8 2.5a5.5 5.5 0 0 1 5.5 5.5', class: 'icon-spin' }]],
  paused: [['path', { d: 'M6 4.5v7M10 4.5v7' }]],
  completed: [['path', { d: 'M3.5 8.5l3 3 6-7' }]],
  failed: [['path', { d: 'M4.5 4.5l7 7M11.5 4.5l-7 7' }]],
};

function statusIcon(status) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('class', 'icon');
  svg.setAttribute('aria-hidden', 'true');
  for (const [tag, attributes] of ICON_SHAPES[status] || ICON_SHAPES.pending) {
    const shape = document.createElementNS(SVG, tag);
    Object.entries(attributes).forEach(([name, value]) => shape.setAttribute(name, value));
    svg.append(shape);
  }
  return svg;
}

export const STATUS_LABEL = {
  pending: 'Pending', running: 'Running', paused: 'Paused', completed: 'Completed', failed: 'Failed',
};

export function statusBadge(status) {
  return h('span', { class: 'badge', 'data-status': status },
    statusIcon(status), STATUS_LABEL[status] || status);
}

/** `completed/total` with a bar; the current step, when given, beside it; `aside` at the end. */
export function progressBar({ completed, total, current, status, label, large = false, aside = null }) {
  const percent = total > 0 ? Math.floor((100 * completed) / total) : 0;
  const fill = h('span', { class: 'progress-fill' });
  fill.style.width = `${percent}%`;
  const valueText = `${completed} of ${total} steps done` + (current ? `, current step ${current}` : '');
  return h('div', { class: large ? 'progress large' : 'progress', 'data-status': status },
    h('div', {
      class: 'progress-track', role: 'progressbar', 'aria-label': label || 'Progress',
      'aria-valuemin': 0, 'aria-valuemax': total, 'aria-valuenow': completed,
      'aria-valuetext': valueText,
    }, fill),
    h('span', { class: 'progress-text' },
      h('span', { class: 'progress-count' }, `${completed}/${total}`),
      current ? h('span', { class: 'progress-step' }, current) : null,
      aside));
}

const thisYear = new Intl.DateTimeFormat(undefined, {
  month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit',
});
const otherYear = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

/** A `<time>` element showing the moment in the person's zone; the exact UTC value on hover. */
export function timeElement(iso, { short = false } = {}) {
  if (!iso) return h('span', { class: 'muted' }, '—');
  const date = new Date(iso);
  const now = new Date();
  let text;
  if (short) text = (now.toDateString() === date.toDateString() ? timeOnly : dateOnly).format(date);
  else text = (now.getFullYear() === date.getFullYear() ? thisYear : otherYear).format(date);
  return h('time', { datetime: iso, title: iso }, text);
}

/** 700 ms, 2.4 s, 3 min 5 s, 1 h 2 min. */
export function formatDuration(millis) {
  if (millis === null || millis === undefined || Number.isNaN(millis)) return '—';
  if (millis < 1000) return `${Math.max(0, Math.round(millis))} ms`;
  const seconds = millis / 1000;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.floor(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function durationBetween(startIso, endIso) {
  if (!startIso) return null;
  const end = endIso ? new Date(endIso) : new Date();
  return end - new Date(startIso);
}

/**
 * Tells the person something: errors stay until dismissed (role=alert, read out at once);
 * confirmations (role=status) go away by themselves.
 */
export function notify(message, { kind = 'error', title } = {}) {
  const close = h('button', { type: 'button', class: 'notice-close', 'aria-label': 'Dismiss' }, '×');
  const notice = h('div', { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' },
    h('div', { class: 'notice-body' },
      title ? h('strong', { class: 'notice-title' }, title) : null,
      h('span', { class: 'notice-text' }, message)),
    close);
  close.addEventListener('click', () => notice.remove());
  document.getElementById('notices').append(notice);
  if (kind !== 'error') setTimeout(() => notice.remove(), 5000);
  return notice;
}

/** Shows an API failure: what was being done, and the server's own explanation. */
export function notifyError(doing, error) {
  const status = error.status ? ` (${error.status} ${error.title})` : '';
  return notify(`${error.detail || error.message}${status}`, { title: `Could not ${doing}` });
}

/** Reads a sentence out to screen readers without moving focus. */
export function announce(text) {
  const announcer = document.getElementById('announcer');
  announcer.textContent = '';
  requestAnimationFrame(() => { announcer.textContent = text; });
}

/** A modal question with a safe default (Cancel has the focus); resolves to true on confirm. */
export function confirmDialog({ title, message, confirmLabel }) {
  const dialog = document.getElementById('confirm-dialog');
  dialog.querySelector('#confirm-title').textContent = title;
  dialog.querySelector('#confirm-message').textContent = message;
  dialog.querySelector('#confirm-ok').textContent = confirmLabel;
  dialog.returnValue = '';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'confirm'), { once: true });
    dialog.showModal();
  });
}

/**
 * Runs `task` now, or once more after the run in flight when called during one: bursts of
 * events cost one reload at a time, and the last event is always followed by a fresh one.
 */
export function coalesce(task) {
  let running = false;
  let again = false;
  return async function run() {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        await task();
      } while (again);
    } finally {
      running = false;
    }
  };
}

/**
 * Runs `task` at most once per `interval` milliseconds: a burst of calls costs one run at once and
 * one more after the interval, whose run sees the burst's end. `now()` runs it without waiting (a
 * person's own change), still one run at a time.
 */
export function throttle(task, interval) {
  const run = coalesce(task);
  let lastStart = -Infinity;
  let timer = null;
  function start() {
    timer = null;
    lastStart = performance.now();
    return run();
  }
  function soon() {
    if (timer !== null) return;
    timer = setTimeout(start, Math.max(0, lastStart + interval - performance.now()));
  }
  soon.now = () => {
    clearTimeout(timer);
    return start();
  };
  soon.cancel = () => clearTimeout(timer);
  return soon;
}
