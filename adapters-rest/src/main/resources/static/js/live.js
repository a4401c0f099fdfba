// Server-sent events: one stream, its connection state, and a way back after it closed for good.
//
// Read with fetch rather than EventSource: EventSource cannot send headers, and the credential
// belongs in the Authorization header, never in the URL. The rest follows EventSource's rules: the
// SSE format, reconnecting by itself with Last-Event-ID after a drop, giving up on an error status.

import { EVENT_TYPES } from './event-types.js';
import { authorization } from './credential.js';

const KNOWN_TYPES = new Set([...EVENT_TYPES, 'message']);

/**
 * Opens `url` as an event stream and hands each parsed event to `onEvent`. `onState` hears
 * 'live', 'reconnecting' (it retries by itself, resending Last-Event-ID, so no event is skipped;
 * a resume refused with an error status, as a 410 for pruned events is, starts over at once with
 * a fresh stream) or 'closed' (a fresh stream refused, such as a credential no longer accepted:
 * `reconnect()` starts over). `onReopen` runs when a stream comes back after a drop, for callers
 * that reload state.
 */
export function openStream(url, { onEvent, onState, onReopen = () => {} }) {
  let controller = null;
  let timer = null;
  let generation = 0;
  let dropped = false;
  let stopped = false;
  let lastEventId = null;
  let retryMillis = 3000; // EventSource's usual wait, unless the server sends `retry:`

  async function connect() {
    const mine = ++generation;
    controller = new AbortController();
    const headers = { Accept: 'text/event-stream', ...authorization() };
    if (lastEventId !== null) headers['Last-Event-ID'] = lastEventId;
    let response;
    try {
      response = await fetch(url, { headers, signal: controller.signal, cache: 'no-store' });
    } catch {
      drop(mine);
      return;
    }
    const type = response.headers.get('Content-Type') || '';
    if (!response.ok || !type.startsWith('text/event-stream')) {
      controller.abort();
      if (mine !== generation || stopped) return;
      dropped = true;
      if (lastEventId !== null) {
        // A resume was refused: a 410 when the events after the last one seen are no longer kept
        // (docs/api.md, "Events older than the resume window"), or another error status. Start
        // over once with a fresh stream, without Last-Event-ID; onReopen reloads what the page
        // shows once it is live. A fresh stream refused ends as 'closed', so this never loops.
        lastEventId = null;
        onState('reconnecting');
        connect();
        return;
      }
      onState('closed');
      return;
    }
    onState('live');
    if (dropped) onReopen();
    dropped = false;
    try {
      await read(response.body, mine);
    } catch {
      // cut off or aborted: either way the stream is over
    }
    drop(mine);
  }

  function drop(mine) {
    if (mine !== generation || stopped) return; // a newer connection took over, or we stopped
    dropped = true;
    onState('reconnecting');
    timer = setTimeout(connect, retryMillis);
  }

  /** Reads the body line by line, as the SSE format says (LF, CRLF or CR end a line). */
  async function read(body, mine) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let message = { type: '', data: [] };
    for (;;) {
      const { value, done } = await reader.read();
      if (done || mine !== generation) return;
      buffer += value;
      const lines = buffer.split(/\r\n|\r|\n/);
      // the last piece may be half a line; a lone CR at the end may be half a CRLF
      buffer = lines.pop();
      for (const line of lines) message = takeLine(line, message);
    }
  }

  function takeLine(line, message) {
    if (line === '') {
      if (message.data.length > 0) dispatch(message.type || 'message', message.data.join('\n'));
      return { type: '', data: [] };
    }
    if (line.startsWith(':')) return message; // a comment: the server's keep-alive
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') message.type = value;
    else if (field === 'data') message.data.push(value);
    else if (field === 'id' && !value.includes('\0')) lastEventId = value;
    else if (field === 'retry' && /^\d+$/.test(value)) retryMillis = Number(value);
    return message;
  }

  function dispatch(type, data) {
    if (!KNOWN_TYPES.has(type)) return;
    let event;
    try {
      event = JSON.parse(data);
    } catch {
      return; // not one of ours
    }
    onEvent({ ...event, type: event.type || type });
  }

  function stop() {
    clearTimeout(timer);
    generation++;
    controller?.abort();
  }

  connect();
  return {
    reconnect() {
      stop();
      dropped = true;
      onState('reconnecting');
      connect();
    },
    close() {
      stopped = true;
      stop();
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
