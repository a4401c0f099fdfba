// A thread's timeline: every event in order, each attempt at a step numbered, so that retries,
// pauses and recoveries can be read at a glance.

import { h, timeElement } from './ui.js';

const WORDS = {
  thread_created: 'Created',
  thread_started: 'Started',
  step_started: 'started',
  step_completed: 'completed',
  step_failed: 'failed',
  thread_paused: 'Paused',
  thread_resumed: 'Resumed',
  thread_retried: 'Retried',
  thread_recovered: 'Taken over after a crash or a lost claim; re-running',
  thread_completed: 'Completed',
  thread_failed: 'Failed',
  thread_deleted: 'Deleted',
  webhook_disabled: 'A webhook was disabled at this thread\'s event: its receiver failed for too long',
};

export function createTimeline() {
  const element = h('ol', { class: 'timeline', id: 'thread-timeline' });

  function render(events) {
    const attempts = new Map();
    // progress is shown on its step, live; in the timeline it would be a row per few words
    const changes = events.filter((event) => event.type !== 'step_progress');
    element.replaceChildren(...changes.map((event) => {
      let text;
      if (event.type.startsWith('step_')) {
        if (event.type === 'step_started') attempts.set(event.step, (attempts.get(event.step) || 0) + 1);
        const attempt = attempts.get(event.step) || 1;
        text = `Step “${event.step}”, attempt ${attempt}: ${WORDS[event.type]}`;
      } else if (event.type === 'thread_recovered') {
        text = `${WORDS[event.type]} “${event.step}”`;
      } else {
        text = WORDS[event.type] || event.type;
      }
      return h('li', { 'data-type': event.type, 'data-seq': event.seq },
        timeElement(event.at), h('span', { class: 'timeline-text' }, text));
    }));
  }

  return { element, render };
}
