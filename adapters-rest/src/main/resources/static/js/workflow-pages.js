// Workflow definitions: every type (#/workflows), and one type's steps with an editor that stores
// its next version (#/workflows/{type}). The service checks every rule; the page shows its answer.

import { api } from './api.js';
import { h, notify } from './ui.js';

export function createWorkflowsPage(container) {
  const title = h('h1', { id: 'workflows-title', tabindex: '-1' }, 'Workflow definitions');
  const rows = h('tbody', { id: 'workflow-items' });
  const error = h('div', { class: 'inline-error', role: 'alert', hidden: true });
  document.title = 'Workflow definitions · Orchestro Threads';
  container.replaceChildren(h('section', { class: 'page-section' },
    title,
    h('p', { class: 'lead' }, 'Each thread runs the steps of one workflow type, in the version it was created with.'),
    error,
    h('div', { class: 'card table-wrap' },
      h('table', { class: 'thread-table' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, 'Type'), h('th', { scope: 'col' }, 'Version'),
          h('th', { scope: 'col' }, 'Steps'), h('th', { scope: 'col' }, 'Description'))),
        rows))));

  api.listWorkflows().then((workflows) => {
    rows.replaceChildren(...workflows.map((workflow) => h('tr', { 'data-type': workflow.type },
      h('td', {}, h('a', { href: `#/workflows/${encodeURIComponent(workflow.type)}` }, workflow.type)),
      h('td', {}, workflow.version),
      h('td', {}, workflow.steps.map((step) => step.name).join(' → ')),
      h('td', { class: 'muted' }, workflow.description))));
  }, (failure) => {
    error.textContent = `Could not load the workflow definitions: ${failure.detail}`;
    error.hidden = false;
  });

  return { destroy() {}, focus: () => title.focus({ preventScroll: true }) };
}

export function createWorkflowPage(container, type) {
  const title = h('h1', { id: 'workflow-title', tabindex: '-1' }, type);
  const version = h('span', { class: 'chip', id: 'workflow-version' });
  const description = h('p', { class: 'lead', id: 'workflow-description' });
  const steps = h('ol', { class: 'steps', id: 'workflow-steps' });
  const editor = h('textarea', {
    id: 'workflow-editor', rows: 18, spellcheck: 'false', class: 'code',
    'aria-describedby': 'workflow-editor-help',
  });
  const formError = h('div', { class: 'inline-error', role: 'alert', id: 'workflow-error', hidden: true });
  const save = h('button', { type: 'submit', class: 'button primary', id: 'workflow-save' }, 'Save as a new version');
  const form = h('form', { class: 'card start-form', id: 'workflow-form', novalidate: true },
    h('label', { for: 'workflow-editor' }, 'Definition (JSON)'),
    h('p', { class: 'hint', id: 'workflow-editor-help' },
      'Description, keywords and steps, as in the API. Saving stores the next version; running threads keep theirs.'),
    editor, formError, h('div', { class: 'form-actions' }, save));
  const body = h('div', { class: 'thread-body', hidden: true },
    h('section', { class: 'card', 'aria-labelledby': 'workflow-steps-heading' },
      h('h2', { id: 'workflow-steps-heading' }, 'Steps'), steps),
    form);
  const missing = h('div', { class: 'card missing', hidden: true });
  document.title = `${type} · Orchestro Threads`;
  container.replaceChildren(h('article', { class: 'thread-page' },
    h('a', { href: '#/workflows' }, '‹ All workflow definitions'),
    h('header', { class: 'thread-head' }, h('div', { class: 'thread-head-text' },
      title, h('p', { class: 'thread-sub' }, version), description)),
    missing, body));

  function render(workflow) {
    version.textContent = `version ${workflow.version}`;
    description.textContent = workflow.description;
    steps.replaceChildren(...workflow.steps.map((step, index) => h('li', { class: 'step', 'data-step': step.name },
      h('div', { class: 'step-row' },
        h('span', { class: 'step-number', 'aria-hidden': 'true' }, index + 1),
        h('span', { class: 'step-name' }, step.name, h('span', { class: 'step-agent' }, ` · ${step.agent}`)),
        h('span', { class: 'step-facts' },
          `${step.retry?.max_attempts ?? 1} attempts at most`,
          step.timeout_millis ? ` · timeout ${step.timeout_millis} ms` : '')),
      h('pre', { class: 'json' }, JSON.stringify(step.config, null, 2)))));
    const { description: text, keywords, steps: list } = workflow;
    editor.value = JSON.stringify({ description: text, keywords, steps: list }, null, 2);
    body.hidden = false;
  }

  api.getWorkflow(type).then(render, (failure) => {
    title.textContent = 'Workflow not found';
    missing.replaceChildren(
      h('p', { role: 'alert' }, failure.status === 404 || failure.status === 400
        ? `There is no workflow type “${type}”.` : failure.detail),
      h('a', { href: '#/workflows' }, 'Back to all workflow definitions'));
    missing.hidden = false;
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    let definition;
    try {
      definition = JSON.parse(editor.value);
    } catch (problem) {
      showError(`This is not valid JSON: ${problem.message}`);
      return;
    }
    save.disabled = true;
    try {
      const stored = await api.putWorkflow(type, definition);
      formError.hidden = true;
      editor.removeAttribute('aria-invalid');
      render(stored);
      notify(`Saved “${type}” as version ${stored.version}.`, { kind: 'success' });
    } catch (failure) {
      showError(failure.detail);
    } finally {
      save.disabled = false;
    }
  });

  function showError(message) {
    formError.textContent = message;
    formError.hidden = false;
    editor.setAttribute('aria-invalid', 'true');
    editor.focus();
  }

  return { destroy() {}, focus: () => title.focus({ preventScroll: true }) };
}
