// CivicCert's service worker (issue 19, item 3): the app opens without a network on a device that
// opened it before, so an instructor's roster and attendance page, and an official's check-in
// page, work at a venue without Wi-Fi. Changes made offline are kept by the page itself
// (src/web/offline/queue.ts) and sent when the network is back; this worker only serves reads.
//
// - Pages: network first; without a network, the last app page served.
// - Built files (/assets/, hashed names): cache first, kept as fetched.
// - API reads a roster needs offline (the session, its roster and check-in code, who is signed
//   in): network first, the last answer when offline. Nothing else from /api/ is stored.
// - On sign-out the page deletes the DATA cache (forgetOfflineReads in src/web/offline/queue.ts).
const SHELL = 'civiccert-shell-v1';
const DATA = 'civiccert-data-v1';
const KEPT_READS = [
  /^\/api\/session$/,
  /^\/api\/sessions\/[0-9a-f-]{36}$/,
  /^\/api\/sessions\/[0-9a-f-]{36}\/roster$/,
  /^\/api\/sessions\/[0-9a-f-]{36}\/check-in-code$/,
];

self.addEventListener('install', () => self.skipWaiting());

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name !== SHELL && name !== DATA) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

async function networkFirst(request, cacheName, key) {
  const cache = await caches.open(cacheName);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(key ?? request, response.clone());
    return response;
  } catch (error) {
    const kept = await cache.match(key ?? request);
    if (kept) return kept;
    throw error;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(SHELL);
  const kept = await cache.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/')) {
    if (url.search === '' && KEPT_READS.some((re) => re.test(url.pathname)))
      event.respondWith(networkFirst(request, DATA));
    return;
  }
  if (request.mode === 'navigate') {
    // Every page is the same app shell; keep the last one under one key.
    event.respondWith(networkFirst(request, SHELL, '/__app-shell'));
    return;
  }
  if (url.pathname.startsWith('/assets/')) event.respondWith(cacheFirst(request));
});
