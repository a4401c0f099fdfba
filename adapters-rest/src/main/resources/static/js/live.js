// Server-sent events: one stream, its connection state, and a way back after it closed for good.

import { EVENT_TYPES } from './event-types.js';

/**
 * Opens `url` as an EventSource and hands each parsed event to `onEvent`. `onState` hears
 * 'live', 'reconnecting' (the browser retries by itself, resending Last-Event-ID, so no event is
 * skipped) or 'closed' (the browser gave up, e.g. after an error status; `reconnect()` starts
 * over). `onReopen` runs when a stream comes back after a drop, for callers that reload state.
 */
export function openStream(url, { onEvent, onState, onReopen = () => {} }) {
  let source = null;
  let dropped = false;
  let stopped = false;

  function connect() {
    source = new EventSource(url);
    source.addEventListener('open', () => {
      onState('live');
      if (dropped) onReopen();
      dropped = false;
    });
    source.addEventListener('error', () => {
      if (stopped) return;
      dropped = true;
      onState(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
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
    EVENT_TYPES.forEach((type) => source.addEventListener(type, handle));
    source.addEventListener('message', handle);
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
