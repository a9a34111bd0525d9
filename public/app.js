// Progressive enhancement only: every page works without this file.
import { initAll } from '/assets/build/govuk-frontend.mjs';

document.body.classList.add('js-enabled', 'govuk-frontend-supported');
initAll();
