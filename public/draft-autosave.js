// Saves the letter form's text as a draft a moment after each change (WCAG 2.2.1). Progressive
// enhancement only: without this file the form has its "Zapisz szkic" button. Files and the
// attachments to remove are left to the form's own buttons.
const form = document.querySelector('form[data-autosave-failed]');
const status = form?.querySelector('[data-autosave-status]');
if (form && status && window.fetch) start(form, status);

function start(form, status) {
  const DELAY_MS = 2000;
  let timer;
  let saving;
  let again = false;

  const save = async () => {
    if (saving) {
      again = true;
      return;
    }
    const data = new FormData(form);
    data.delete('attachments');
    data.delete('remove');
    data.set('zapis', 'auto');
    saving = fetch(form.action, {
      method: 'POST',
      body: data,
      headers: { accept: 'application/json' },
      credentials: 'same-origin',
    }).catch(() => undefined);
    const response = await saving;
    saving = undefined;
    const json =
      response?.ok && response.headers.get('content-type')?.includes('json') && (await response.json());
    if (!json) {
      status.textContent = form.dataset.autosaveFailed;
    } else {
      status.textContent = json.message;
      // A new letter is a draft from now on: later saves update it, and a reload opens it.
      const action = new URL(form.action);
      if (action.pathname !== json.action) {
        action.pathname = json.action;
        form.action = action.href;
        window.history.replaceState(null, '', json.editPath);
      }
      document.dispatchEvent(
        new window.CustomEvent('uo:session', { detail: { secondsLeft: json.secondsLeft } }),
      );
    }
    if (again) {
      again = false;
      save();
    }
  };
  const changed = (event) => {
    if (event.target.type === 'file' || event.target.name === 'remove') return;
    clearTimeout(timer);
    timer = setTimeout(save, DELAY_MS);
  };
  form.addEventListener('input', changed);
  form.addEventListener('change', changed);
  // The form's own buttons send everything; a save still waiting is not needed then.
  form.addEventListener('submit', () => clearTimeout(timer));
}
