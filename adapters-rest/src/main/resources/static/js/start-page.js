// #/new: start a workflow from a prompt; the new thread's page opens.

import { api } from './api.js';
import { h, notifyError } from './ui.js';

export function createStartPage(container) {
  const prompt = h('textarea', {
    id: 'prompt', name: 'prompt', rows: 5, required: true, maxlength: 60000,
    placeholder: 'e.g. Research and compare the Q3 sales figures of our three regions',
  });
  const type = h('select', { id: 'workflow-type', name: 'workflow_type' },
    h('option', { value: '' }, 'Detect from the prompt'));
  const typeHelp = h('p', { class: 'hint', id: 'workflow-type-help' },
    'Without a choice the service picks the workflow whose keywords the prompt mentions most.');
  const formError = h('div', { class: 'inline-error', role: 'alert', id: 'start-error', hidden: true });
  const submit = h('button', { type: 'submit', class: 'button primary', id: 'start-button' },
    'Start workflow');
  const form = h('form', { class: 'card start-form', id: 'start-form', novalidate: true },
    h('label', { for: 'prompt' }, 'Prompt'),
    prompt,
    h('label', { for: 'workflow-type' }, 'Workflow type ', h('span', { class: 'muted' }, '(optional)')),
    type,
    typeHelp,
    formError,
    h('div', { class: 'form-actions' }, submit));
  type.setAttribute('aria-describedby', 'workflow-type-help');

  container.replaceChildren(h('section', { class: 'home' },
    h('h1', { id: 'home-title', tabindex: '-1' }, 'Start a workflow'),
    h('p', { class: 'lead' },
      'Describe the work in a sentence. Each step of the workflow runs in order; follow it live, '
      + 'pause, resume or retry it from its page.'),
    form));

  api.listWorkflows().then((workflows) => {
    type.append(...workflows.map((workflow) => h('option', { value: workflow.type },
      workflow.description ? `${workflow.type} — ${workflow.description}` : workflow.type)));
  }, (failure) => {
    showError(`The workflow types could not be loaded (${failure.detail}); `
      + 'the service can still detect the type from the prompt.');
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!prompt.value.trim()) {
      showError('Write a prompt first.');
      prompt.setAttribute('aria-invalid', 'true');
      prompt.focus();
      return;
    }
    prompt.removeAttribute('aria-invalid');
    formError.hidden = true;
    submit.disabled = true;
    submit.textContent = 'Starting…';
    try {
      const thread = await api.createThread({
        prompt: prompt.value,
        ...(type.value ? { workflow_type: type.value } : {}),
      });
      window.location.hash = `#/threads/${thread.thread_id}`;
    } catch (failure) {
      showError(`Could not start the workflow: ${failure.detail}`);
      notifyError('start the workflow', failure);
    } finally {
      submit.disabled = false;
      submit.textContent = 'Start workflow';
    }
  });

  function showError(message) {
    formError.textContent = message;
    formError.hidden = false;
  }

  return { destroy() {}, focus: () => prompt.focus({ preventScroll: true }) };
}
