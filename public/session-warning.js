// WCAG 2.2.1: opens the "Przedłuż sesję" dialog shortly before the session ends. Progressive
// enhancement only: without this file the page works and the letter form keeps its text across
// a new login (docs/accounts.md, "Session end").
const dialog = document.getElementById('session-warning');
if (dialog && typeof dialog.showModal === 'function') start(dialog);

function start(dialog) {
  const text = document.getElementById('session-warning-text');
  const form = dialog.querySelector('form[data-session-extend]');
  const extend = form.querySelector('button');
  const warnSeconds = Number(dialog.dataset.warnSeconds);
  let endsAt = Date.now() + Number(dialog.dataset.secondsLeft) * 1000;
  let shownMinutes;

  const minutesLeft = () => Math.max(0, Math.ceil((endsAt - Date.now()) / 60_000));
  const tick = () => {
    const left = endsAt - Date.now();
    if (left > warnSeconds * 1000) {
      if (dialog.open) dialog.close();
      return;
    }
    if (left <= 0) {
      text.textContent = dialog.dataset.ended;
      extend.hidden = true;
    } else if (minutesLeft() !== shownMinutes) {
      shownMinutes = minutesLeft();
      text.textContent = dialog.dataset.text.replace('{minutes}', String(shownMinutes));
    }
    if (!dialog.open) {
      dialog.showModal();
      (extend.hidden ? dialog.querySelector('button:not([hidden])') : extend).focus();
    }
  };
  // Any request the page makes in the background (the draft's autosave) also keeps the session.
  document.addEventListener('uo:session', (event) => {
    endsAt = Date.now() + event.detail.secondsLeft * 1000;
    tick();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const response = await fetch(form.action, {
      method: 'POST',
      body: new window.URLSearchParams(new FormData(form)),
      headers: { accept: 'application/json' },
      credentials: 'same-origin',
    }).catch(() => undefined);
    // Not extended (the session has already ended, the network is down): the form's plain post
    // reaches the server and, on a dead session, the login page.
    if (!response?.ok || !response.headers.get('content-type')?.includes('json')) return form.submit();
    const { secondsLeft } = await response.json();
    endsAt = Date.now() + secondsLeft * 1000;
    shownMinutes = undefined;
    dialog.close();
  });
  setInterval(tick, 1000);
  tick();
}
