// Hand-written service worker: the app shell and every screen's code are cached so the inspector's form and the
// official's progress report open without signal. API calls are never cached here — what is captured offline waits
// in IndexedDB (src/offline).
const SHELL = 'duban-shell-v2';
// The shell by its file name: '/' is the API's to answer for a request that does not ask for HTML first.
const SHELL_PAGE = '/index.html';
const STATIC = [SHELL_PAGE, '/manifest.webmanifest', '/icon.svg', '/icon-192.png', '/icon-512.png'];

/**
 * The build's list of its chunks (precache.json, written by vite.config.mts): each screen is a lazy chunk, and one
 * never opened online must still open offline. Fetched on install and again on each page load online, since a new
 * build leaves this file (and so the installed worker) unchanged; only what is missing is fetched.
 */
async function precache() {
  const cache = await caches.open(SHELL);
  const res = await fetch('/precache.json', { cache: 'no-cache' });
  const assets = res.ok ? await res.json() : [];
  const missing = [];
  for (const url of assets) if (!(await cache.match(url))) missing.push(url);
  await cache.addAll(missing);
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL)
      .then((c) => c.addAll(STATIC))
      .then(precache)
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== SHELL).map((k) => caches.delete(k)))).then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  // Page loads: the network first (a fresh build), the cached shell without signal.
  if (req.mode === 'navigate') {
    event.respondWith(
      fetch(req)
        .then((res) => {
          const copy = res.clone();
          event.waitUntil(caches.open(SHELL).then((c) => c.put(SHELL_PAGE, copy)).then(precache).catch(() => undefined));
          return res;
        })
        .catch(() => caches.match(SHELL_PAGE)),
    );
    return;
  }
  // Hashed assets never change under their name: cache first, filled as they are fetched.
  if (url.pathname.startsWith('/assets/')) {
    event.respondWith(
      caches.match(req).then(
        (hit) =>
          hit ||
          fetch(req).then((res) => {
            const copy = res.clone();
            caches.open(SHELL).then((c) => c.put(req, copy));
            return res;
          }),
      ),
    );
  }
});
