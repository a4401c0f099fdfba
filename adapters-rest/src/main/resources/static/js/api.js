// The public HTTP API of the service (docs/api.md), and nothing else.

/** An API call that did not succeed; `detail` is the sentence to show the person. */
export class ApiError extends Error {
  constructor(status, title, detail) {
    super(detail);
    this.status = status;
    this.title = title;
    this.detail = detail;
  }
}

async function call(method, path, body) {
  const headers = { Accept: 'application/json, application/problem+json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'Network error', 'The service could not be reached. Is it running?');
  }
  if (response.status === 204) return null;
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: a proxy's error page, say; the status line below still explains it
  }
  if (!response.ok) {
    // errors are problem+json (RFC 9457): `detail` says what went wrong in the person's terms
    const title = data?.title || response.statusText || 'Error';
    throw new ApiError(response.status, title, data?.detail || `${response.status} ${title}`);
  }
  return data;
}

const threadPath = (id) => `/api/threads/${encodeURIComponent(id)}`;

export const api = {
  listThreads({ statuses = [], page = 0, size = 50 } = {}) {
    const query = new URLSearchParams({ page, size });
    statuses.forEach((status) => query.append('status', status));
    return call('GET', `/api/threads?${query}`);
  },
  getThread: (id) => call('GET', threadPath(id)),
  createThread: (request) => call('POST', '/api/threads', request),
  pauseThread: (id) => call('POST', `${threadPath(id)}/pause`),
  resumeThread: (id) => call('POST', `${threadPath(id)}/resume`),
  retryThread: (id) => call('POST', `${threadPath(id)}/retry`),
  deleteThread: (id) => call('DELETE', threadPath(id)),
  listWorkflows: () => call('GET', '/api/workflows'),
  listSchedules: () => call('GET', '/api/schedules'),
  putSchedule: (name, definition) =>
    call('PUT', `/api/schedules/${encodeURIComponent(name)}`, definition),
  allEventsUrl: () => '/api/events',
  // new events of one thread only: the page loads the thread itself, so it needs no replay of its
  // history (which the thread's own stream would send first)
  threadEventsUrl: (id) => `/api/events?thread_id=${encodeURIComponent(id)}`,
};
