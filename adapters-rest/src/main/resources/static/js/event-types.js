// The event types of docs/api.md "Events" and the groups of them that the views react to: the one
// place the dashboard names them.

/** Every event type; SSE names each event by its type. */
export const EVENT_TYPES = [
  'thread_created', 'thread_started', 'step_started', 'step_completed', 'step_failed',
  'step_progress', 'thread_paused', 'thread_resumed', 'thread_retried', 'thread_recovered',
  'thread_completed', 'thread_failed', 'thread_deleted', 'webhook_disabled',
];

/** Events that change no thread: their status and progress are the thread's as it was before. */
export const NOT_THREAD_CHANGES = new Set(['webhook_disabled']);

/** Events that change which threads any page of the list shows. */
export const MEMBERSHIP_EVENTS = new Set(['thread_created', 'thread_deleted']);

/** Events that change a thread's status, and so which threads a status filter shows. */
export const STATUS_EVENTS = new Set([
  'thread_started', 'thread_paused', 'thread_resumed', 'thread_retried', 'thread_recovered',
  'thread_completed', 'thread_failed',
]);

/** Events worth reading out to someone who cannot see the badge change, with the word to say. */
export const SPOKEN_EVENTS = {
  thread_paused: 'paused', thread_resumed: 'resumed', thread_completed: 'completed',
  thread_failed: 'failed', thread_retried: 'being retried',
};
