// My notes (README.md, "My notes"; guidance/notes.py). Nothing here talks to the server: the notes
// are indicator ids, kept per area in this browser's sessionStorage (forgotten when the tab
// closes) or, if the practitioner ticks "Keep my notes", in localStorage, and put in the notes
// page's address (?i=<id>&i=<id>&e=<edition>) when it is opened. Areas are kept apart by key.
//
// On pages listing indicators: the tick boxes and "Add to my notes" buttons keep ids as they are
// used (without JavaScript they send the ids to the notes page in its address).
// On the notes page: the address's notes become this browser's (unless it keeps others: then it
// asks), "Remove" and the chooser update them, and offline, where the service worker answers any
// /<area>/notes/?… with the saved copy of /<area>/notes/ (which holds every indicator, hidden),
// the noted ones are shown.

const PREFIX = "threshold-notes:";
const ID = /^\d{1,12}$/;

function storage(kind) {
  try {
    return window[kind];
  } catch {
    return null; // storage switched off: the address alone holds the notes
  }
}

function read(slug) {
  for (const kind of ["localStorage", "sessionStorage"]) {
    const store = storage(kind);
    try {
      const raw = store && store.getItem(PREFIX + slug);
      if (raw) {
        const value = JSON.parse(raw);
        const ids = (value.ids || []).map(String).filter((id) => ID.test(id));
        const edition = ID.test(String(value.edition || "")) ? String(value.edition) : "";
        return { ids, edition, kept: kind === "localStorage" };
      }
    } catch {
      // unreadable: treated as no notes
    }
  }
  return { ids: [], edition: "", kept: false };
}

function write(slug, notes) {
  const [target, other] = notes.kept
    ? [storage("localStorage"), storage("sessionStorage")]
    : [storage("sessionStorage"), storage("localStorage")];
  try {
    if (other) other.removeItem(PREFIX + slug);
    if (!target) return;
    if (notes.ids.length) {
      target.setItem(PREFIX + slug, JSON.stringify({ ids: notes.ids, edition: notes.edition }));
    } else {
      target.removeItem(PREFIX + slug);
    }
  } catch {
    // full or refused: the address still holds the notes
  }
}

function forget(slug) {
  for (const kind of ["localStorage", "sessionStorage"]) {
    try {
      const store = storage(kind);
      if (store) store.removeItem(PREFIX + slug);
    } catch {
      // nothing to forget
    }
  }
}

// The notes' edition: the oldest the notes were made under, so that a later change shows.
function earliest(a, b) {
  if (!a) return b || "";
  if (!b) return a;
  return String(Math.min(Number(a), Number(b)));
}

function address(url, ids, edition) {
  if (!ids.length) return url;
  const query = ids.map((id) => `i=${id}`);
  if (edition) query.push(`e=${edition}`);
  return `${url}?${query.join("&")}`;
}

function same(a, b) {
  const set = new Set(a);
  return set.size === new Set(b).size && b.every((id) => set.has(id));
}

function plural(count) {
  return `${count} indicator${count === 1 ? "" : "s"}`;
}

// --- Pages listing indicators: tick boxes and "Add to my notes" ---------------------------------

const forms = [...document.querySelectorAll("[data-notes-form]")];

function refresh(form) {
  const slug = form.dataset.notesArea;
  const notes = read(slug);
  const url = address(form.dataset.notesUrl, notes.ids, notes.edition);
  for (const box of form.querySelectorAll("input[data-note]")) {
    box.checked = notes.ids.includes(box.value);
  }
  for (const button of form.querySelectorAll("[data-note-button]")) {
    const noted = notes.ids.includes(button.value);
    button.textContent = noted ? "Remove from my notes" : "Add to my notes";
    button.classList.toggle("app-note-button--noted", noted);
  }
  const link = form.querySelector("[data-notes-link]");
  if (link) link.href = url;
  const submit = form.querySelector("[data-notes-submit]");
  if (submit) submit.textContent = "View my notes";
  return { notes, url };
}

function tell(form, message) {
  const status = form.querySelector("[data-notes-status]");
  if (!status) return;
  const { notes, url } = refresh(form);
  status.replaceChildren();
  if (message) status.append(`${message} `);
  if (notes.ids.length) {
    status.append(`${plural(notes.ids.length)} in your ${form.dataset.notesName} notes. `);
    const link = document.createElement("a");
    link.className = "govuk-link";
    link.href = url;
    link.textContent = `View my ${form.dataset.notesName} notes`;
    status.append(link);
  }
}

function toggle(form, id, on) {
  const slug = form.dataset.notesArea;
  const notes = read(slug);
  const ids = notes.ids.filter((noted) => noted !== id);
  if (on) ids.push(id);
  const edition = on ? earliest(notes.edition, form.dataset.notesEdition) : notes.edition;
  write(slug, { ...notes, ids, edition });
  for (const other of forms) {
    if (other !== form && other.dataset.notesArea === slug) refresh(other);
  }
  tell(form, on ? "Added." : "Taken out.");
}

for (const form of forms) {
  form.addEventListener("change", (event) => {
    const box = event.target.closest("input[data-note]");
    if (box) toggle(form, box.value, box.checked);
  });
  form.addEventListener("click", (event) => {
    const button = event.target.closest("[data-note-button]");
    if (!button) return;
    event.preventDefault();
    toggle(form, button.value, !read(form.dataset.notesArea).ids.includes(button.value));
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const notes = read(form.dataset.notesArea);
    window.location.href = address(form.dataset.notesUrl, notes.ids, notes.edition);
  });
  refresh(form);
  if (read(form.dataset.notesArea).ids.length) tell(form, "");
}

// --- The notes page -----------------------------------------------------------------------------

function showOnly(page, ids) {
  const set = new Set(ids);
  for (const item of page.querySelectorAll("[data-note-item]")) {
    item.hidden = !set.has(item.dataset.noteItem);
  }
  const labels = [];
  for (const section of page.querySelectorAll("[data-note-level]")) {
    for (const domain of section.querySelectorAll("[data-note-domain]")) {
      domain.hidden = !domain.querySelector("[data-note-item]:not([hidden])");
    }
    section.hidden = !section.querySelector("[data-note-item]:not([hidden])");
    if (!section.hidden) labels.push(section.dataset.levelLabel);
  }
  const levels = page.querySelector("[data-notes-levels]");
  const last = labels.pop();
  levels.textContent = last
    ? `The indicators you noted appear in the guidance at ${labels.length ? `${labels.join(", ")} and ` : ""}${last}.`
    : "";
  levels.hidden = !last;
  page.querySelector("[data-notes-judgement]").hidden = !last;
  page.querySelector("[data-notes-empty]").hidden = Boolean(last);
  for (const box of page.querySelectorAll("[data-notes-choose] input[name=i]")) {
    box.checked = set.has(box.value);
  }
  const known = ids.filter((id) => page.querySelector(`[data-note-item="${id}"]`));
  const note = page.querySelector("[data-notes-offline]");
  const unknown = ids.length - known.length;
  note.textContent =
    `Shown from the copy of ${page.dataset.notesName} saved on this device. ` +
    "Whether these indicators changed in a later edition is shown when you are online." +
    (unknown
      ? ` ${plural(unknown)} in this address ${unknown === 1 ? "is" : "are"} not in the saved copy, so left out.`
      : "");
  note.hidden = false;
  return known;
}

function notesPage(page) {
  const slug = page.dataset.notesArea;
  const url = page.dataset.notesUrl;
  const params = new URLSearchParams(window.location.search);
  const asked = params.getAll("i").filter((id) => ID.test(id));
  const edition = ID.test(params.get("e") || "") ? params.get("e") : page.dataset.notesEdition;
  const stored = read(slug);
  let shown = page.dataset.notesRendered ? page.dataset.notesRendered.split(",") : [];

  if (page.hasAttribute("data-notes-all")) {
    // The page without ids: every indicator is here, hidden.
    if (!asked.length && stored.ids.length) {
      if (navigator.onLine) {
        window.location.replace(address(url, stored.ids, stored.edition));
        return;
      }
      window.history.replaceState(null, "", address(url, stored.ids, stored.edition));
      shown = showOnly(page, stored.ids);
    } else if (asked.length) {
      shown = showOnly(page, asked); // offline: the saved copy answered this address
    }
  }

  const current = () => ({ ...read(slug), ids: shown, edition });
  if (shown.length && !stored.ids.length) {
    write(slug, { ...stored, ids: shown, edition });
  } else if (shown.length && !same(shown, stored.ids)) {
    offerToKeep(page, slug, url, stored, () => write(slug, current()));
  }

  const share = page.querySelector("[data-notes-share]");
  if (share) {
    share.href = new URL(address(url, shown, edition), window.location.href).href;
    share.textContent = share.href;
  }

  // Remove: out of this browser's notes too, then the address without it.
  page.addEventListener("click", (event) => {
    const link = event.target.closest("[data-note-remove]");
    if (!link) return;
    event.preventDefault();
    const ids = shown.filter((id) => id !== link.dataset.noteRemove);
    write(slug, { ...read(slug), ids, edition });
    window.location.href = address(url, ids, edition);
  });
  const chooser = page.querySelector("[data-notes-choose]");
  if (chooser) {
    chooser.addEventListener("submit", () => {
      const ids = [...chooser.querySelectorAll("input[name=i]:checked")].map((box) => box.value);
      write(slug, { ...read(slug), ids, edition });
    });
  }

  const keepGroup = page.querySelector("[data-notes-keep-group]");
  const keep = page.querySelector("[data-notes-keep]");
  if (keepGroup && storage("localStorage")) {
    keepGroup.hidden = false;
    keep.checked = read(slug).kept;
    keep.addEventListener("change", () => write(slug, { ...read(slug), kept: keep.checked }));
    page.querySelector("[data-notes-clear]").addEventListener("click", () => {
      forget(slug);
      window.location.href = url;
    });
  }
}

// A shared address (or one made without JavaScript) while this browser keeps other notes for
// the area: nothing is overwritten unasked.
function offerToKeep(page, slug, url, stored, keep) {
  const box = document.createElement("div");
  box.className = "govuk-inset-text no-print";
  box.dataset.notesDiffer = "";
  const text = document.createElement("p");
  text.className = "govuk-body";
  text.textContent = `This browser keeps other ${page.dataset.notesName} notes (${plural(stored.ids.length)}) than this address holds.`;
  const group = document.createElement("div");
  group.className = "govuk-button-group";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "govuk-button govuk-button--secondary";
  button.textContent = "Keep these as my notes";
  button.addEventListener("click", () => {
    keep();
    box.querySelector("p").textContent = "These are now your notes in this browser.";
    group.remove();
  });
  const link = document.createElement("a");
  link.className = "govuk-link";
  link.href = address(url, stored.ids, stored.edition);
  link.textContent = "Show the notes this browser keeps";
  group.append(button, link);
  box.append(text, group);
  page.querySelector("h1").after(box);
}

const notes = document.querySelector("[data-notes-page]");
if (notes) notesPage(notes);
