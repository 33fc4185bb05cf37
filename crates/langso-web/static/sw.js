// Langso service worker (issue 18). Served at /sw.js behind LANGSO_BUILD and the offline core.
// It keeps the round's assets (never a rendered page: personal data lives only in the
// IndexedDB copy, which logout and expiry can clear), answers the round's pages with a small
// shell when the network fails, and sends waiting visits on Background Sync.
'use strict';
var CACHE = 'langso-' + LANGSO_BUILD;
var ASSETS = ['/static/langso.css', '/static/offline-round.js', '/static/icon.svg'];
// The pages the shell can stand in for: the round, a household, its visit form.
var PAGES = /^\/(round\/?|households\/[0-9a-f-]{36}(\/visit)?)$/;
// A network that neither answers nor fails (weak signal) falls back to the shell after this.
var PATIENCE = 8000;

self.addEventListener('install', function (e) {
  e.waitUntil(caches.open(CACHE).then(function (c) { return c.addAll(ASSETS); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener('activate', function (e) {
  e.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

// The page the script fills from the pack. No inline script or style (the site's CSP).
function shell() {
  var html = '<!doctype html><html><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    '<title>Langso</title><link rel="stylesheet" href="/static/langso.css">' +
    '<link rel="manifest" href="/manifest.webmanifest">' +
    '<script src="/static/offline-round.js" defer></script></head>' +
    '<body data-offline-shell><main id="main" class="wrap">' +
    '<section id="offline-round" class="offline" aria-live="polite"></section></main></body></html>';
  return new Response(html, { headers: { 'Content-Type': 'text/html; charset=utf-8' } });
}

function withPatience(request) {
  return new Promise(function (ok, fail) {
    var timer = setTimeout(function () { fail(new Error('slow')); }, PATIENCE);
    fetch(request).then(function (r) { clearTimeout(timer); ok(r); },
      function (e) { clearTimeout(timer); fail(e); });
  });
}

// The server's visit form, posted with no network: the visit is kept in the queue instead
// of being lost, with the id the form carries (so a copy that did arrive is recognised).
var VISIT = /^\/households\/([0-9a-f-]{36})\/visit$/;
function queueForm(id, form) {
  return LO.get('pack').then(function (pack) {
    var h = pack && pack.households.filter(function (x) { return x.id === id; })[0];
    if (!h) throw new Error('not in the copy');
    var values = {}, vid = String(form.get('visit_id') || '');
    form.forEach(function (v, k) { if (k.indexOf('ind.') === 0 && v !== '') values[k.slice(4)] = +v; });
    var body = { id: /^[0-9a-f-]{36}$/.test(vid) ? vid : LO.uuid7(), household_id: id, household_version: h.version,
      catalogue_version: pack.catalogue.version, member_id: pack.member_id,
      visited_on: form.get('visited_on') || new Date().toISOString().slice(0, 10), values: values,
      help: form.getAll('help'), follow_up_on: form.get('follow_up_on') || null, notes: form.get('notes') || '' };
    h.version += 1;
    return LO.save({ id: body.id, kind: 'visit', at: Date.now(), body: body, label: h.head_name })
      .then(function () { return LO.put('pack', pack); });
  });
}

self.addEventListener('fetch', function (e) {
  var req = e.request, url = new URL(req.url);
  if (url.origin !== location.origin) return;
  if (req.method === 'POST' && req.mode === 'navigate' && VISIT.test(url.pathname)) {
    var copy = req.clone();
    e.respondWith(fetch(req).catch(function (err) {
      return copy.formData().then(function (f) { return queueForm(VISIT.exec(url.pathname)[1], f); })
        .then(function () { return Response.redirect('/round#saved', 303); }, function () { throw err; });
    }));
    return;
  }
  if (req.method !== 'GET') return;
  if (ASSETS.indexOf(url.pathname) >= 0) {
    // Cached copy first (fast on 3G, works offline), refreshed in the background.
    e.respondWith(caches.open(CACHE).then(function (c) {
      return c.match(url.pathname).then(function (hit) {
        var fresh = fetch(req).then(function (r) {
          if (r.ok) c.put(url.pathname, r.clone());
          return r;
        });
        if (hit) { e.waitUntil(fresh.catch(function () {})); return hit; }
        return fresh;
      });
    }));
  } else if (req.mode === 'navigate' && PAGES.test(url.pathname)) {
    // The server's page when it answers (plain pages stay the truth), the shell otherwise.
    e.respondWith(withPatience(req).catch(shell));
  }
});

// Background Sync: the browser wakes the worker when it thinks the network is back.
self.addEventListener('sync', function (e) {
  if (e.tag === 'langso-sync') e.waitUntil(LO.sync().then(tell));
});

// Tells open pages to redraw their counts.
function tell() {
  return self.clients.matchAll({ type: 'window' }).then(function (cs) {
    cs.forEach(function (c) { c.postMessage('langso-synced'); });
  });
}
