// Offline use (README.md, "Offline"), on every page: registers the service worker (static/js/sw.js,
// served at /sw.js), says when a page comes from the device ("Saved …; you are offline"), offers
// "Save <area> for use offline" on an area's page, lists what is saved on the offline page, and
// on an online visit to a saved area asks the worker to renew it if the area has changed.

const AREA = "area:";
const notice = document.querySelector("[data-offline-notice]");

function formatDate(iso) {
  return new Date(iso).toLocaleDateString("en-GB", {
    day: "numeric",
    month: "long",
    year: "numeric",
  });
}

function formatBytes(bytes) {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function say(text, link) {
  if (!notice) return;
  notice.textContent = text;
  if (link && link.href) {
    const anchor = document.createElement("a");
    anchor.className = "govuk-link";
    anchor.href = link.href;
    anchor.textContent = link.text;
    notice.append(" ", anchor);
  }
  notice.hidden = false;
}

// The record of each area saved on this device (written by the worker when a save completes).
async function savedAreas() {
  const areas = [];
  for (const name of await caches.keys()) {
    if (!name.startsWith(AREA)) continue;
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      if (request.url.endsWith("/offline.json")) {
        areas.push({ cache: name, ...(await (await cache.match(request)).json()) });
      }
    }
  }
  return areas.sort((a, b) => a.name.localeCompare(b.name));
}

// When this page's newest copy on the device was kept (the worker serves the newest).
async function savedAt() {
  const url = new URL(window.location.href);
  url.hash = "";
  let best = null;
  for (const name of await caches.keys()) {
    const answer = await (await caches.open(name)).match(url.href, { ignoreVary: true });
    const time = answer && answer.headers.get("X-Saved-At");
    if (time && (!best || time > best)) best = time;
  }
  return best;
}

async function showOffline() {
  const time = "caches" in window ? await savedAt() : null;
  if (!time) {
    say("You are offline.");
    return;
  }
  say(`Saved ${formatDate(time)}${edition()}; you are offline.`);
}

// The edition as this page states it (every saved copy is one version whole).
function edition() {
  return notice.dataset.areaEdition ? `, ${notice.dataset.areaEdition}` : "";
}

// A kept copy the worker answered with because the connection was too slow (sw.js SLOW_MS).
async function showSlow() {
  const time = "caches" in window ? await savedAt() : null;
  const saved = time ? `Saved ${formatDate(time)}${edition()}. ` : "";
  say(`${saved}The connection is slow, so this is the copy on this device.`, {
    href: window.location.href,
    text: "Try again for the newest",
  });
}

// --- The offline page: what is saved -----------------------------------------------------------

async function listSaved() {
  const list = document.querySelector("[data-offline-areas]");
  if (!list || !("caches" in window)) return;
  const areas = await savedAreas();
  document.querySelector("[data-offline-none]").hidden = areas.length > 0;
  list.replaceChildren(
    ...areas.map((area) => {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.className = "govuk-link";
      link.href = area.url;
      link.textContent = area.name;
      item.append(
        link,
        `: ${area.document_title} (${area.edition}), saved ${formatDate(area.saved)}; ` +
          `${area.pages} pages, ${formatBytes(area.bytes)}.`,
      );
      return item;
    }),
  );
  const pages = await caches.open("pages");
  const visited = (await pages.keys()).length;
  const line = document.querySelector("[data-offline-visited]");
  if (line && visited) {
    line.textContent = `${visited} other page${visited === 1 ? "" : "s"} you visited recently ${visited === 1 ? "is" : "are"} kept too.`;
  }
}

// --- An area's page: save and remove ------------------------------------------------------------

async function areaControls(area) {
  const box = document.querySelector("[data-offline-save]");
  if (!box) return;
  const state = box.querySelector("[data-offline-state]");
  const saveButton = box.querySelector("[data-offline-save-button]");
  const removeButton = box.querySelector("[data-offline-remove]");
  const progress = box.querySelector("[data-offline-progress]");

  const show = async () => {
    const saved = (await savedAreas()).find((record) => record.slug === area.slug);
    removeButton.hidden = !saved;
    state.textContent = saved
      ? `Saved on this device ${formatDate(saved.saved)}: ${saved.document_title} (${saved.edition}), ` +
        `${saved.pages} pages, ${formatBytes(saved.bytes)}.`
      : "Not saved on this device.";
    saveButton.textContent = saved
      ? `Save ${area.name} again`
      : `Save ${area.name} for use offline`;
  };

  navigator.serviceWorker.addEventListener("message", (event) => {
    const message = event.data || {};
    if (message.slug && message.slug !== area.slug) return;
    if (message.type === "progress") {
      progress.textContent = `Saving ${message.done} of ${message.total} pages and files…`;
    } else if (message.type === "saved") {
      saveButton.disabled = false;
      progress.textContent = `Saved ${message.name}: ${message.pages} pages, ${formatBytes(message.bytes)}.`;
      show();
    } else if (message.type === "failed") {
      saveButton.disabled = false;
      progress.textContent = `Could not save ${area.name}: check the connection and try again.`;
    } else if (message.type === "updated") {
      show();
    }
  });

  saveButton.addEventListener("click", async () => {
    saveButton.disabled = true;
    progress.textContent = `Saving ${area.name}…`;
    const registration = await navigator.serviceWorker.ready;
    registration.active.postMessage({ type: "save", json: area.json });
  });

  removeButton.addEventListener("click", async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(`${AREA}${area.slug}:`)) await caches.delete(name);
    }
    progress.textContent = `Removed the saved copy of ${area.name}.`;
    await show();
  });

  box.hidden = false;
  await show();
}

// --- Every page ---------------------------------------------------------------------------------

async function start() {
  if (!("serviceWorker" in navigator)) return;
  const element = notice && notice.dataset.area ? notice : null;
  const area = element && {
    slug: element.dataset.area,
    name: element.dataset.areaName,
    json: element.dataset.areaJson,
  };

  navigator.serviceWorker.addEventListener("message", (event) => {
    const message = event.data || {};
    if (message.type === "updated") {
      const edition = message.published_edition ? ` to edition ${message.published_edition}` : "";
      say(`Updated the saved copy of ${message.name}${edition}.`, {
        href: message.changes,
        text: "See what changed",
      });
    }
  });
  navigator.serviceWorker.register("/sw.js").catch(() => null);
  window.addEventListener("offline", showOffline);
  window.addEventListener("online", () => {
    if (notice && /you are offline/.test(notice.textContent)) notice.hidden = true;
  });

  if (area) await areaControls(area);
  await listSaved();
  const fromDevice = notice && notice.dataset.fromDevice;
  if (!navigator.onLine || fromDevice === "offline") {
    await showOffline();
  } else if (fromDevice === "slow") {
    await showSlow();
  } else if (area && (await savedAreas()).some((record) => record.slug === area.slug)) {
    const registration = await navigator.serviceWorker.ready;
    registration.active.postMessage({ type: "update", json: area.json, slug: area.slug });
  }
}

start();
