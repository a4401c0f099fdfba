// The public HTTP API of the service (docs/api.md), and nothing else.

import { authorization } from './credential.js';

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
  const headers = { Accept: 'application/json, application/problem+json', ...authorization() };
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
const workflowPath = (type) => `/api/workflows/${encodeURIComponent(type)}`;

/** The list's filters besides status, as query parameters; an empty one is left out. */
function filterQuery({ workflowType, q }) {
  const query = new URLSearchParams();
  if (workflowType) query.set('workflow_type', workflowType);
  if (q) query.set('q', q);
  return query;
}

export const api = {
  listThreads({ statuses = [], workflowType = '', q = '', page = 0, size = 50 } = {}) {
    const query = filterQuery({ workflowType, q });
    query.set('page', page);
    query.set('size', size);
    statuses.forEach((status) => query.append('status', status));
    return call('GET', `/api/threads?${query}`);
  },
  countThreads: ({ workflowType = '', q = '' } = {}) =>
    call('GET', `/api/threads/counts?${filterQuery({ workflowType, q })}`),
  threadEvents: (id) => call('GET', `${threadPath(id)}/events`),
  getThread: (id) => call('GET', threadPath(id)),
  createThread: (request) => call('POST', '/api/threads', request),
  pauseThread: (id) => call('POST', `${threadPath(id)}/pause`),
  resumeThread: (id) => call('POST', `${threadPath(id)}/resume`),
  retryThread: (id) => call('POST', `${threadPath(id)}/retry`),
  cancelThread: (id) => call('POST', `${threadPath(id)}/cancel`),
  deleteThread: (id) => call('DELETE', threadPath(id)),
  bulk: (action, filter) => call('POST', '/api/threads/bulk', { action, filter }),
  listWorkflows: () => call('GET', '/api/workflows'),
  getWorkflow: (type) => call('GET', workflowPath(type)),
  putWorkflow: (type, definition) => call('PUT', workflowPath(type), definition),
  listWebhooks: () => call('GET', '/api/webhooks'),
  webhookDeliveries: (id) => call('GET', `/api/webhooks/${encodeURIComponent(id)}/deliveries`),
  listSchedules: () => call('GET', '/api/schedules'),
  putSchedule: (name, definition) =>
    call('PUT', `/api/schedules/${encodeURIComponent(name)}`, definition),
  me: () => call('GET', '/api/me'),
  allEventsUrl: () => '/api/events',
};
