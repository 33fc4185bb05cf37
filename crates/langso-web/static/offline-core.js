// Langso offline core, shared by the round page and the service worker (served in front of
// each): the phone's own database (IndexedDB) and the sending of what waits in it.
// Nothing leaves the queue before the server has answered for it (issue 18).
var LO = (function () {
  'use strict';
  var KEEP_DAYS = 14; // cached personal data is dropped after this many days without use
  var DONE = ['recorded', 'already_received', 'conflict', 'held'];
  var dbp = null, busy = null;

  // One database: 'kv' (pack, device id, csrf token, drafts, state) and 'queue'
  // (visits and proposals waiting, keyed by their phone-made UUIDv7).
  function db() {
    dbp = dbp || new Promise(function (ok, fail) {
      var r = indexedDB.open('langso-offline', 1);
      r.onupgradeneeded = function () {
        r.result.createObjectStore('kv');
        r.result.createObjectStore('queue', { keyPath: 'id' });
      };
      r.onsuccess = function () { ok(r.result); };
      r.onerror = function () { dbp = null; fail(r.error); };
    });
    return dbp;
  }
  // Runs one request in a transaction and resolves once that transaction is committed.
  function run(store, mode, fn) {
    return db().then(function (d) {
      return new Promise(function (ok, fail) {
        var t = d.transaction(store, mode), r = fn(t.objectStore(store));
        t.oncomplete = function () { ok(r && r.result); };
        t.onerror = t.onabort = function () { fail(t.error); };
      });
    });
  }
  var get = function (k) { return run('kv', 'readonly', function (s) { return s.get(k); }); };
  var put = function (k, v) { return run('kv', 'readwrite', function (s) { return s.put(v, k); }); };
  var del = function (k) { return run('kv', 'readwrite', function (s) { return s.delete(k); }); };
  function items() {
    return run('queue', 'readonly', function (s) { return s.getAll(); }).then(function (all) {
      return all.sort(function (a, b) { return a.at - b.at || (a.id < b.id ? -1 : 1); });
    });
  }
  var save = function (item) { return run('queue', 'readwrite', function (s) { return s.put(item); }); };
  var drop = function (id) { return run('queue', 'readwrite', function (s) { return s.delete(id); }); };

  // A UUIDv7: 48 bits of Unix milliseconds, version and variant bits, random rest; made on
  // the phone so that a resend carries the same id and the server can answer "already received".
  function uuid7() {
    var b = crypto.getRandomValues(new Uint8Array(16)), t = Date.now(), i, h = '';
    for (i = 5; i >= 0; i--) { b[i] = t % 256; t = Math.floor(t / 256); }
    b[6] = 0x70 | (b[6] & 15);
    b[8] = 0x80 | (b[8] & 63);
    for (i = 0; i < 16; i++) h += (b[i] < 16 ? '0' : '') + b[i].toString(16);
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' +
      h.slice(16, 20) + '-' + h.slice(20);
  }

  // Deletes the cached personal data (pack and drafts); the queue only when asked to.
  function forget(withQueue) {
    return run('kv', 'readwrite', function (s) {
      ['pack', 'used', 'signin', 'stale'].forEach(function (k) { s.delete(k); });
      s.getAllKeys().onsuccess = function (e) {
        e.target.result.forEach(function (k) { if (String(k).indexOf('draft:') === 0) s.delete(k); });
      };
    }).then(function () {
      return withQueue && run('queue', 'readwrite', function (s) { return s.clear(); });
    });
  }

  // When the app opens: a copy unused for KEEP_DAYS is dropped (true), otherwise marked used.
  function touch() {
    return get('used').then(function (used) {
      var now = Date.now();
      if (used && now - used > KEEP_DAYS * 864e5) return forget(false).then(function () { return true; });
      return get('pack').then(function (p) { return p ? put('used', now).then(function () { return false; }) : false; });
    });
  }

  // Sends what waits, oldest first, at most 100 items a request. Resolves with the number of
  // items the server took; rejects when the network failed (the worker's sync then retries).
  // Only one sending runs at a time in this context; page and worker may overlap, which the
  // phone-made ids make harmless.
  function sync() {
    busy = busy || send().then(function (n) { busy = null; return n; },
      function (e) { busy = null; throw e; });
    return busy;
  }
  function send() {
    return Promise.all([items(), get('device'), get('csrf')]).then(function (a) {
      var waiting = a[0].filter(function (i) { return !i.refused; });
      if (!waiting.length) return 0;
      var chunk = waiting.slice(0, 100), body = { device_id: a[1] || null, visits: [], proposals: [] };
      chunk.forEach(function (i) { body[i.kind === 'visit' ? 'visits' : 'proposals'].push(i.body); });
      return fetch('/round/sync', {
        method: 'POST', credentials: 'same-origin', cache: 'no-store',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': a[2] || '' },
        body: JSON.stringify(body)
      }).then(function (r) {
        // An expired session (401) or a stale token (403): keep everything, ask to sign in.
        if (r.status === 401 || r.status === 403) return put('signin', true).then(function () { return 0; });
        if (!r.ok) throw new Error('sync ' + r.status);
        return r.json().then(function (j) { return settle(chunk, j); }).then(function (n) {
          return waiting.length > chunk.length ? send().then(function (m) { return n + m; }) : n;
        });
      });
    });
  }
  // Applies the server's answers: confirmed items leave the queue, refused ones stay, marked.
  function settle(chunk, answer) {
    var taken = 0, byId = {};
    chunk.forEach(function (i) { byId[i.id] = i; });
    return (answer.results || []).reduce(function (p, res) {
      var item = byId[res.id];
      if (!item) return p;
      if (DONE.indexOf(res.outcome) >= 0) {
        taken++;
        return p.then(function () { return drop(item.id); });
      }
      item.refused = res.message || res.outcome;
      return p.then(function () { return save(item); });
    }, put('signin', false)).then(function () {
      return get('pack').then(function (pack) {
        // Another catalogue in force: fetch a fresh pack when next online.
        if (pack && answer.catalogue_version && pack.catalogue.version !== answer.catalogue_version) return put('stale', true);
      });
    }).then(function () { return taken; });
  }

  return {
    get: get, put: put, del: del, items: items, save: save, drop: drop,
    uuid7: uuid7, forget: forget, touch: touch, sync: sync, KEEP_DAYS: KEEP_DAYS
  };
})();
