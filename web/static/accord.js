// Progressive enhancement only: every page is complete without scripts.
// Loaded as a module, so browsers too old for the NHS.UK frontend's
// JavaScript never run it. The relative import resolves next to this
// file's hashed URL and the server redirects it to the current hash.
import { initAll } from "./vendor/nhsuk/nhsuk-frontend.min.js";

document.body.classList.add("js-enabled", "nhsuk-frontend-supported");
initAll();
