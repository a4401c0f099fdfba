// Server-sent events: one stream, its connection state, and a way back after it closed for good.

import { EVENT_TYPES } from './event-types.js';

/**
 * Opens `url` as an EventSource and hands each parsed event to `onEvent`. `onState` hears
 * 'live', 'reconnecting' (the browser retries by itself, resending Last-Event-ID, so no event is
 * skipped; a retry refused after the stream had been live, as a 410 for pruned events is, starts
 * over at once with a fresh stream) or 'closed' (a fresh stream failed before it opened;
 * `reconnect()` starts over). `onReopen` runs when a stream comes back after a drop, for callers
 * that reload state.
 */
export function openStream(url, { onEvent, onState, onReopen = () => {} }) {
  let source = null;
  let dropped = false;
  let stopped = false;

  function connect() {
    const current = new EventSource(url);
    source = current;
    let opened = false;
    current.addEventListener('open', () => {
      opened = true;
      onState('live');
      if (dropped) onReopen();
      dropped = false;
    });
    current.addEventListener('error', () => {
      if (stopped || current !== source) return;
      dropped = true;
      if (current.readyState === EventSource.CLOSED && opened) {
        // The browser's own reconnect was refused after the stream had been live: a 410 when the
        // events after the last one it had are no longer kept (docs/api.md, "Events older than
        // the resume window"), or another error status. Start over once: a fresh stream has no
        // Last-Event-ID, and onReopen reloads what the page shows when it is live. A fresh stream
        // that fails before it opens ends as 'closed', so this never loops.
        onState('reconnecting');
        connect();
        return;
      }
      onState(current.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
    });
    const handle = (message) => {
      let event;
      try {
        event = JSON.parse(message.data);
      } catch {
        return; // not one of ours (a comment or keep-alive line is never dispatched anyway)
      }
      onEvent({ ...event, type: event.type || message.type });
    };
    EVENT_TYPES.forEach((type) => current.addEventListener(type, handle));
    current.addEventListener('message', handle);
  }

  connect();
  return {
    reconnect() {
      source.close();
      dropped = true;
      onState('reconnecting');
      connect();
    },
    close() {
      stopped = true;
      source.close();
    },
  };
}

/** Human words for a stream state, for the indicator next to what it keeps live. */
export const STATE_TEXT = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  closed: 'Live updates stopped',
};
