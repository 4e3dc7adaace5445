// The service worker, served at /sw.js (scope: the whole site). README.md, "Offline".
//
// Caches (Cache Storage, on this device only):
//   shell      the offline page and every page's styles, scripts and icons (on installing)
//   pages      the pages visited, the most recent MAX_PAGES
//   area:<slug>:<version>   an area saved with "Save <area> for use offline": all its published
//              pages and the assets, with a record at the area's offline.json address
// Pages come from the network while it answers (never a stale page online) and are kept on the
// way; offline, the newest kept copy is served unchanged, or the offline page. Each stored
// answer carries X-Saved-At (when it was kept), which the page's own script shows.
// Never kept: anything but GET, other sites, /admin/ and its files, /api/, answers marked private or no-store
// (a signed-in lead's pages), redirects and errors.

const SHELL = "shell";
const PAGES = "pages";
const AREA = "area:";
const MAX_PAGES = 60;
const PARALLEL = 4;
const OFFLINE_PAGE = "/offline/";

self.addEventListener("install", (event) => {
  event.waitUntil(fillShell().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

async function fillShell() {
  const response = await fetch("/offline/assets.json", { cache: "no-cache" });
  const shell = await response.json();
  const cache = await caches.open(SHELL);
  await Promise.all(
    [shell.offline_page, ...shell.assets].map(async (url) => {
      const answer = await fetch(url, { cache: "no-cache" });
      if (answer.ok) await cache.put(url, await stamped(answer));
    }),
  );
}

// A copy of the answer marked with the time it was kept (a Response's headers are read-only).
async function stamped(response) {
  const body = await response.blob();
  const headers = new Headers(response.headers);
  headers.set("X-Saved-At", new Date().toISOString());
  headers.set("X-Body-Bytes", String(body.size));
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

function keepable(response) {
  const control = response.headers.get("Cache-Control") || "";
  return (
    response.status === 200 &&
    response.type === "basic" &&
    !response.redirected &&
    !/private|no-store/.test(control)
  );
}

// The admin's files too (Django's, and whatever an admin page asks for): the admin is never
// offline, and a kept copy would answer first, so the first admin page after a release ran the
// release before's scripts (js/admin-order.js) against the new server.
function skipped(url, referrer) {
  return (
    url.origin !== self.location.origin ||
    url.pathname.startsWith("/admin/") ||
    url.pathname.startsWith("/static/admin/") ||
    (referrer && new URL(referrer).pathname.startsWith("/admin/")) ||
    url.pathname.startsWith("/api/") ||
    url.pathname === "/sw.js"
  );
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (skipped(url, request.referrer)) return;
  if (request.mode === "navigate") {
    event.respondWith(page(event));
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(asset(event));
  }
  // Anything else (offline.json, the manifest) goes to the network as usual.
});

// The newest copy of `request` in any cache (a visited page may be newer than a saved area's).
async function newest(request) {
  let best = null;
  let bestTime = "";
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    const answer = await cache.match(request, { ignoreVary: true });
    if (answer) {
      const time = answer.headers.get("X-Saved-At") || "";
      if (!best || time > bestTime) {
        best = answer;
        bestTime = time;
      }
    }
  }
  return best;
}

// A page from the network while it answers within SLOW_MS; on a connection slower than that
// (the edge of the signal), the copy kept on this device at once if there is one, marked so the
// page says so, while the network's answer still arrives and is kept for next time. Never a kept
// copy when the network answers in time: guidance online is always the newest.
const SLOW_MS = 3000;

async function page(event) {
  const request = event.request;
  const url = new URL(request.url);
  url.hash = "";
  let keeping = Promise.resolve();
  const network = fetch(request).then((response) => {
    const type = response.headers.get("Content-Type") || "";
    if (keepable(response) && type.startsWith("text/html") && !notesWithIds(request.url)) {
      keeping = keepPage(request.url, response.clone());
    }
    return response;
  });
  // The worker stays alive until the network's answer is kept, even after a kept copy answered.
  event.waitUntil(network.then(() => keeping).catch(() => null));
  const slow = new Promise((resolve) => setTimeout(resolve, SLOW_MS, null));
  try {
    const first = await Promise.race([network, slow]);
    if (first) return first;
    const copy = await kept(url);
    return copy ? fromDevice(copy, "slow") : await network;
  } catch (error) {
    const copy = await kept(url);
    return copy
      ? fromDevice(copy, "offline")
      : (await caches.match(OFFLINE_PAGE, { ignoreVary: true })) || Response.error();
  }
}

async function kept(url) {
  return (
    (await newest(url.href)) ||
    (notesWithIds(url.href) && (await newest(`${url.origin}${url.pathname}`))) ||
    null
  );
}

// The kept copy, marked for js/offline.js to say where it came from and why.
async function fromDevice(copy, why) {
  const html = await copy.text();
  const marked = html.replace(
    "data-offline-notice hidden",
    `data-offline-notice data-from-device="${why}" hidden`,
  );
  const headers = new Headers(copy.headers);
  headers.delete("Content-Length"); // the mark made the body longer
  return new Response(marked, { status: copy.status, headers });
}

// My notes with ids in the address (/<area>/notes/?i=…): never kept (the notes are the
// practitioner's, kept only where they chose); offline the area's saved /<area>/notes/ answers,
// and its script (js/notes.js) shows the noted indicators.
function notesWithIds(href) {
  const url = new URL(href);
  return /^\/[^/]+\/notes\/$/.test(url.pathname) && url.search !== "";
}

async function keepPage(url, response) {
  const cache = await caches.open(PAGES);
  await cache.delete(url); // put at the end: the oldest are dropped first
  await cache.put(url, await stamped(response));
  const keys = await cache.keys();
  for (const old of keys.slice(0, Math.max(0, keys.length - MAX_PAGES))) {
    await cache.delete(old);
  }
}

// Styles, scripts and icons: the kept copy at once, renewed in the background.
async function asset(event) {
  const request = event.request;
  const kept = await caches.match(request, { ignoreVary: true });
  const renewed = fetch(request)
    .then(async (response) => {
      if (keepable(response)) {
        const cache = await caches.open(SHELL);
        await cache.put(request, await stamped(response.clone()));
      }
      return response;
    })
    .catch(() => null);
  if (kept) {
    event.waitUntil(renewed);
    return kept;
  }
  return (await renewed) || Response.error();
}

// --- Saving an area ----------------------------------------------------------------------------

self.addEventListener("message", (event) => {
  const message = event.data || {};
  const client = event.source;
  const tell = (data) => client && client.postMessage(data);
  if (message.type === "save") {
    event.waitUntil(save(message.json, tell));
  } else if (message.type === "update") {
    event.waitUntil(update(message.json, message.slug, tell).catch(() => null));
  }
});

const saving = new Map(); // slug -> the save under way, so that two never run at once

async function areaOf(jsonUrl) {
  const response = await fetch(jsonUrl, { cache: "no-cache" });
  if (!response.ok) throw new Error(`${jsonUrl} answered ${response.status}`);
  return response.json();
}

// The record of each saved area (at its offline.json address), newest first.
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
  return areas;
}

function save(jsonUrl, tell, updating = false) {
  const key = new URL(jsonUrl, self.location.origin).pathname;
  if (!saving.has(key)) {
    const job = store(jsonUrl, tell, updating).finally(() => saving.delete(key));
    saving.set(key, job);
  }
  return saving.get(key);
}

// Every page of the area into a new cache named by its version; only when all are stored (and
// the area did not change meanwhile) is the record written and the older copy deleted, so a
// saved copy is always one version whole.
// One page or file of an area being saved. A poor connection drops a request now and then: each
// is tried three times, a second apart, before the save gives up.
async function fetchForSaving(url, tries = 3) {
  try {
    // no-cache: revalidated (a cheap 304), never a copy of an older version from the HTTP cache.
    const response = await fetch(url, { cache: "no-cache" });
    if (!response.ok || response.redirected) throw new Error(`${url} answered ${response.status}`);
    return response;
  } catch (error) {
    if (tries <= 1) throw error;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    return fetchForSaving(url, tries - 1);
  }
}

async function store(jsonUrl, tell, updating, attempts = 3) {
  let area;
  try {
    area = await areaOf(jsonUrl);
  } catch (error) {
    tell({ type: "failed", error: String(error) });
    return null;
  }
  const name = `${AREA}${area.slug}:${area.version}`;
  const urls = [...area.pages, ...(area.notes ? [area.notes] : []), ...area.assets];
  try {
    await caches.delete(name);
    const cache = await caches.open(name);
    let done = 0;
    let bytes = 0;
    const queue = [...urls];
    const worker = async () => {
      while (queue.length) {
        const url = queue.shift();
        const kept = await stamped(await fetchForSaving(url));
        bytes += Number(kept.headers.get("X-Body-Bytes"));
        await cache.put(url, kept);
        done += 1;
        if (!updating) tell({ type: "progress", slug: area.slug, done, total: urls.length });
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    const now = await areaOf(jsonUrl);
    if (now.version !== area.version) {
      await caches.delete(name);
      if (attempts > 1) return store(jsonUrl, tell, updating, attempts - 1);
      throw new Error(`${area.name} kept changing while it was saved`);
    }
    const record = {
      slug: area.slug,
      name: area.name,
      edition: area.edition,
      document_title: area.document_title,
      version: area.version,
      published_edition: area.published_edition,
      changes: area.changes,
      url: area.pages[0],
      saved: new Date().toISOString(),
      pages: area.pages.length,
      bytes,
    };
    await cache.put(
      jsonUrl,
      new Response(JSON.stringify(record), { headers: { "Content-Type": "application/json" } }),
    );
    for (const old of await caches.keys()) {
      if (old.startsWith(`${AREA}${area.slug}:`) && old !== name) await caches.delete(old);
    }
    tell({ type: updating ? "updated" : "saved", ...record });
    return record;
  } catch (error) {
    await caches.delete(name);
    tell({ type: "failed", slug: area.slug, name: area.name, error: String(error) });
    return null;
  }
}

// An online visit to a saved area: save it again, in the background, if it has changed.
async function update(jsonUrl, slug, tell) {
  const saved = (await savedAreas()).find((area) => area.slug === slug);
  if (!saved) return;
  const area = await areaOf(jsonUrl);
  if (area.version !== saved.version) await save(jsonUrl, tell, true);
}
