// How long a thread has been at work: the time it spent paused, or failed and waiting for a
// retry, is not work and is left out.

const IDLE_STARTS = new Set(['thread_paused', 'thread_failed']);
const IDLE_ENDS = new Set(['thread_resumed', 'thread_retried']);

/** The spans [from, to] in epoch milliseconds in which the thread was idle, from its events. */
export function idleSpans(events, now) {
  const spans = [];
  let idleSince = null;
  for (const event of events) {
    if (IDLE_STARTS.has(event.type) && idleSince === null) idleSince = Date.parse(event.at);
    else if (IDLE_ENDS.has(event.type) && idleSince !== null) {
      spans.push([idleSince, Date.parse(event.at)]);
      idleSince = null;
    }
  }
  if (idleSince !== null) spans.push([idleSince, now]);
  return spans;
}

/** From the thread's start to its end (or `now`), less its idle spans; null before it started. */
export function activeMillis(thread, events, now = Date.now()) {
  if (!thread.start_time) return null;
  const start = Date.parse(thread.start_time);
  const end = thread.finished_at ? Date.parse(thread.finished_at) : now;
  let idle = 0;
  for (const [from, to] of idleSpans(events, end)) {
    idle += Math.max(0, Math.min(to, end) - Math.max(from, start));
  }
  return Math.max(0, end - start - idle);
}
