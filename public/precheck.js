// Browser pre-check of uploads (progressive enhancement). A form that carries `data-policy`
// (built on the server by browserPolicy() from the office's policy) gets a warning, before
// anything is sent, about a file whose extension the office does not accept or files that
// together exceed the office's limit. Without JavaScript nothing here runs and the server
// checks everything; with it, the server still checks everything.

const SUMMARY_CLASS = 'uo-precheck';

for (const form of document.querySelectorAll('form[data-policy]')) setUp(form);

function setUp(form) {
  let policy;
  try {
    policy = JSON.parse(form.getAttribute('data-policy') || '');
  } catch {
    return;
  }
  if (!policy || !Array.isArray(policy.extensions) || !policy.messages) return;

  form.addEventListener('change', (event) => {
    if (event.target && event.target.type === 'file') show(form, policy, check(form, policy), false);
  });
  form.addEventListener('submit', (event) => {
    const problems = check(form, policy);
    if (problems.length === 0) return;
    // The server would refuse these files; say so now instead of after a long upload.
    event.preventDefault();
    show(form, policy, problems, true);
  });
}

function check(form, policy) {
  const problems = [];
  let total = 0;
  for (const input of form.querySelectorAll('input[type="file"]')) {
    for (const file of input.files || []) {
      total += file.size;
      const dot = file.name.lastIndexOf('.');
      const extension = dot > 0 ? file.name.slice(dot + 1).toLowerCase() : '';
      if (!extension) problems.push({ input, text: fill(policy.messages.noExtension, { file: file.name }) });
      else if (!policy.extensions.includes(extension))
        problems.push({ input, text: fill(policy.messages.extension, { file: file.name, extension }) });
    }
  }
  if (total > policy.maxSizeBytes) {
    const first = form.querySelector('input[type="file"]');
    problems.push({
      input: first,
      text: fill(policy.messages.totalSize, {
        total: formatSize(total),
        limit: policy.maxSize[lang()] || policy.maxSize.pl,
      }),
    });
  }
  return problems;
}

function show(form, policy, problems, focus) {
  let summary = form.querySelector(`.${SUMMARY_CLASS}`);
  if (problems.length === 0) {
    summary?.remove();
    return;
  }
  if (!summary) {
    summary = document.createElement('div');
    summary.className = `govuk-error-summary ${SUMMARY_CLASS}`;
    summary.tabIndex = -1;
    form.prepend(summary);
  }
  const alert = element('div', { role: 'alert' });
  alert.append(element('h2', { class: 'govuk-error-summary__title' }, policy.messages.heading));
  const list = element('ul', { class: 'govuk-list govuk-error-summary__list' });
  for (const problem of problems) {
    const item = element('li');
    // textContent only: file names come from the visitor and are never parsed as HTML.
    if (problem.input && problem.input.id)
      item.append(element('a', { href: `#${problem.input.id}` }, problem.text));
    else item.textContent = problem.text;
    list.append(item);
  }
  const body = element('div', { class: 'govuk-error-summary__body' });
  body.append(list);
  alert.append(body);
  summary.replaceChildren(alert);
  if (focus) summary.focus();
}

function element(name, attributes = {}, text) {
  const node = document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function fill(template, params) {
  return String(template).replace(/\{(\w+)\}/g, (whole, key) =>
    key in params ? String(params[key]) : whole,
  );
}

function lang() {
  return document.documentElement.lang === 'en' ? 'en' : 'pl';
}

function formatSize(bytes) {
  const mb = bytes / (1024 * 1024);
  const text = mb >= 10 ? mb.toFixed(0) : mb.toFixed(1);
  return `${lang() === 'pl' ? text.replace('.', ',') : text} MB`;
}
