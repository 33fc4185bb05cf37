// Langso offline round (issue 18), after the core. On "my round" online it keeps the round on
// the phone; in the worker's shell (no network) it draws the round, a household's visit form
// and the change forms from that copy; on every page it sends what waits and guards logout.
(function () {
  'use strict';
  var box = document.getElementById('offline-round');
  var shell = document.body.hasAttribute('data-offline-shell');
  var pack = null, L = {}, notice = '';

  // A catalogue text (from the pack's labels) with { $name } arguments filled in.
  function t(key, args) {
    var s = L[key] || '';
    Object.keys(args || {}).forEach(function (k) { s = s.replace(new RegExp('\\{ ?\\$' + k + ' ?\\}', 'g'), args[k]); });
    return s;
  }
  // Builds an element; text always goes in as text, never as HTML (data as entered).
  function el(tag, attrs, kids) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { if (attrs[k] !== null && attrs[k] !== false) e.setAttribute(k, attrs[k]); });
    (kids || []).forEach(function (k) { if (k !== null) e.append(k); });
    return e;
  }
  function day(iso) { return iso ? iso.split('-').reverse().join('/') : ''; }
  function today() {
    var d = new Date(Date.now() - new Date().getTimezoneOffset() * 6e4);
    return d.toISOString().slice(0, 10);
  }
  function field(label, input) { return el('div', { 'class': 'field' }, [el('label', { 'for': input.id }, [label]), input]); }
  function household(id) { return pack && pack.households.filter(function (h) { return h.id === id; })[0]; }
  function address(h) { return [h.hamlet, h.alley, h.house_number].filter(Boolean).join(' '); }

  // --- sending --------------------------------------------------------------------------
  function trySend() {
    return LO.sync().catch(function () {
      // No network: ask the browser to wake the worker when it has one (where it can).
      if (navigator.serviceWorker && navigator.serviceWorker.controller) {
        navigator.serviceWorker.ready.then(function (r) { return r.sync && r.sync.register('langso-sync'); }).catch(function () {});
      }
    }).then(status);
  }

  // Fetches the pack for this device. A revoked device (410) loses its whole copy.
  function fetchPack() {
    return LO.get('device').then(function (dev) {
      dev = dev || LO.uuid7();
      return LO.put('device', dev).then(function () {
        return fetch('/round/offline?device=' + dev, { credentials: 'same-origin', cache: 'no-store' });
      });
    }).then(function (r) {
      if (r.status === 410) {
        return r.json().then(function (j) {
          notice = j.message || '';
          return LO.forget(true).then(function () { return LO.del('device'); }).then(function () { pack = null; });
        });
      }
      if (r.status === 401) return LO.put('signin', true);
      if (!r.ok) return;
      return r.json().then(function (p) {
        pack = p;
        L = p.labels || {};
        return Promise.all([LO.put('pack', p), LO.put('labels', L), LO.put('used', Date.now()), LO.del('stale'), LO.put('signin', false)]);
      });
    }).catch(function () {});
  }

  // --- the status box: waiting, sign in, needs attention, keeping the copy -----------------
  function status() {
    if (!box) return Promise.resolve();
    return Promise.all([LO.items(), LO.get('signin'), persisted()]).then(function (a) {
      var waiting = a[0].filter(function (i) { return !i.refused; }), refused = a[0].filter(function (i) { return i.refused; });
      var s = document.getElementById('offline-status') || el('div', { id: 'offline-status' });
      s.replaceChildren();
      if (notice) s.append(el('p', { 'class': 'notice' }, [notice]));
      if (shell) s.append(el('p', { 'class': 'tag warn' }, [t('offline-no-signal')]));
      if (a[1]) s.append(el('p', { 'class': 'notice', id: 'offline-sign-in' }, [t('offline-sign-in') + ' ', el('a', { href: '/login?next=/round' }, [t('offline-sign-in-link')])]));
      s.append(el('p', { id: 'offline-waiting', 'data-count': waiting.length }, [el('strong', {}, [waiting.length ? t('offline-waiting', { n: waiting.length }) : t('offline-all-sent')])]));
      if (refused.length) s.append(attention(refused));
      if (pack) {
        s.append(el('p', {}, [t('offline-kept', { when: day(pack.generated_at.slice(0, 10)) }) + ' ', el('a', { href: '#propose=new' }, [t('offline-propose-new')])]));
        if (!a[2]) s.append(el('details', { 'class': 'offline-install', id: 'offline-evictable' }, [el('summary', {}, [t('offline-evictable')]), el('p', {}, [t('offline-install')])]));
      } else if (shell) s.append(el('p', {}, [t('offline-no-copy')]));
      if (!s.parentNode) box.prepend(s);
      box.hidden = false;
    });
  }
  // Items the server refused stay on the phone, shown with its reason, until the member acts.
  function attention(items) {
    return el('div', { 'class': 'error-summary', id: 'offline-attention' }, [el('h2', {}, [t('offline-attention')]),
      el('ul', {}, items.map(function (i) {
        var retry = el('button', { type: 'button', 'class': 'link' }, [t('offline-retry')]);
        var drop = el('button', { type: 'button', 'class': 'link' }, [t('offline-delete')]);
        retry.onclick = function () { delete i.refused; LO.save(i).then(trySend); };
        drop.onclick = function () { if (confirm(t('offline-delete-confirm'))) LO.drop(i.id).then(status); };
        return el('li', {}, [el('span', { translate: 'no' }, [i.label || '']), ': ' + i.refused + ' ', retry, ' ', drop]);
      }))]);
  }
  // Persistent storage, or else a warning with how to install (Safari deletes a site's
  // storage after 7 days unused unless it was added to the home screen).
  function persisted() {
    var ios = /iPad|iPhone|iPod/.test(navigator.userAgent) && !navigator.standalone;
    if (ios || !navigator.storage || !navigator.storage.persist) return Promise.resolve(false);
    return navigator.storage.persisted().then(function (p) { return p || navigator.storage.persist(); }).catch(function () { return false; });
  }

  // --- the pages drawn from the pack (the shell, or a change form on the online round) -----
  function main() {
    var m = document.getElementById('offline-page') || el('div', { id: 'offline-page' });
    m.replaceChildren();
    if (!m.parentNode) box.append(m);
    return m;
  }
  function route() {
    if (!box || !pack) return;
    var hash = /^#propose=(\w+)(?::([0-9a-f-]+))?/.exec(location.hash);
    var path = /^\/households\/([0-9a-f-]{36})/.exec(location.pathname);
    if (hash) return proposalForm(hash[1], hash[2]);
    if (location.hash === '#saved') return saved(t('offline-saved'));
    if (!shell) return main();
    document.documentElement.lang = L['offline-lang'] || 'vi';
    if (path && household(path[1])) return visitForm(household(path[1]));
    roundList();
  }
  function roundList() {
    var m = main(), list = null, group = '';
    document.title = t('offline-round') + ' · Langso';
    m.append(el('h1', { 'class': 'compact' }, [t('offline-round')]));
    pack.households.forEach(function (h) {
      if (h.village + h.hamlet !== group) {
        group = h.village + h.hamlet;
        m.append(el('h2', { 'class': 'round-group', translate: 'no' }, [h.village + (h.hamlet ? ' — ' + h.hamlet : '')]));
        list = m.appendChild(el('ul', { 'class': 'round' }));
      }
      list.append(el('li', { 'class': h.last_visited_on === today() ? 'done' : null }, [
        el('a', { href: '/households/' + h.id + '/visit' }, [el('strong', { translate: 'no' }, [h.alley + ' ' + h.house_number]), ' — ', el('span', { translate: 'no' }, [h.head_name])]),
        ' ', el('span', { 'class': 'tag' }, [h.last_visited_on ? day(h.last_visited_on) : t('offline-never')])]));
    });
  }
  function visitForm(h) {
    var m = main(), c = pack.catalogue, f = el('form', { 'class': 'visit', id: 'offline-visit-form' });
    h.values = h.values || {};
    document.title = t('offline-visit') + ' · Langso';
    m.append(el('h1', { 'class': 'compact' }, [t('offline-visit')]), el('p', {}, [el('strong', { translate: 'no' }, [h.head_name]), el('br'), el('span', { translate: 'no' }, [address(h) + (h.phone ? ' · ' + h.phone : '')])]));
    f.append(field(t('offline-visited-on'), el('input', { id: 'visited_on', name: 'visited_on', type: 'date', value: today(), max: today(), required: '' })));
    shown(c, h).forEach(function (ind) {
      var fs = el('fieldset', { 'class': 'choices', id: ind.code }, [el('legend', {}, [ind.label]), ind.help ? el('p', { 'class': 'hint' }, [ind.help]) : null]);
      // An adult count has no fixed top: the household's adults bound it.
      var max = ind.max === null || ind.max === undefined ? h.adults || 0 : ind.max;
      for (var v = ind.min; v <= Math.min(max, ind.min + 20); v++) {
        var now = h.values[ind.code] === v;
        fs.append(el('label', { 'class': 'choice' }, [el('input', { type: 'radio', name: 'ind.' + ind.code, value: v, checked: now ? '' : null }),
          el('span', {}, [ind.kind === 'yes_no' ? t(v ? 'offline-yes' : 'offline-no') : String(v)])]));
      }
      f.append(fs);
    });
    f.append(el('fieldset', { 'class': 'choices', id: 'help' }, [el('legend', {}, [t('offline-help')])].concat((pack.help_kinds || []).map(function (k) {
      return el('label', { 'class': 'choice wide' }, [el('input', { type: 'checkbox', name: 'help', value: k.code }), el('span', {}, [k.label])]);
    }))));
    f.append(field(t('offline-follow-up'), el('input', { id: 'follow_up_on', name: 'follow_up_on', type: 'date' })),
      field(t('offline-notes'), el('textarea', { id: 'notes', name: 'notes', rows: 3, translate: 'no' })),
      el('button', { type: 'submit', 'class': 'big' }, [t('offline-save')]));
    m.append(f, el('p', {}, ['split', 'move', 'death'].map(function (k) { return el('a', { href: '#propose=' + k + ':' + h.id, 'class': 'tag' }, [t('offline-propose-' + k)]); })),
      el('p', {}, [el('a', { href: '/round' }, [t('offline-back')])]));
    keepDraft(f, 'draft:' + h.id);
    f.onsubmit = function (e) {
      e.preventDefault();
      var d = read(f), values = {};
      shown(c, h).forEach(function (ind) { if (d['ind.' + ind.code] !== undefined) values[ind.code] = +d['ind.' + ind.code]; });
      var body = { id: LO.uuid7(), household_id: h.id, household_version: h.version, catalogue_version: c.version,
        member_id: pack.member_id, visited_on: d.visited_on || today(), values: values, help: [].concat(d.help || []),
        follow_up_on: d.follow_up_on || null, notes: d.notes || '' };
      // The copy follows what the member saw, so the round shows it done and a second visit
      // here carries the version the first one makes (a visit raises it by one).
      h.version += 1; h.last_visited_on = body.visited_on;
      Object.keys(values).forEach(function (k) { h.values[k] = values[k]; });
      LO.save({ id: body.id, kind: 'visit', at: Date.now(), body: body, label: h.head_name + ', ' + address(h) })
        .then(function () { return Promise.all([LO.put('pack', pack), LO.del('draft:' + h.id)]); })
        .then(function () { saved(t('offline-saved'), nextAfter(h)); });
    };
  }
  // The indicators that apply to this household (business-only ones to businesses).
  function shown(c, h) { return c.indicators.filter(function (i) { return !i.business_only || h.business; }); }
  function nextAfter(h) {
    var i = pack.households.indexOf(h);
    return pack.households.slice(i + 1).filter(function (n) { return n.last_visited_on !== today(); })[0];
  }
  function saved(text, next) {
    var m = main();
    m.append(el('p', { 'class': 'notice', id: 'offline-saved', role: 'status' }, [text]));
    if (next) m.append(el('p', {}, [el('a', { href: '/households/' + next.id + '/visit', id: 'offline-next' }, [el('span', { translate: 'no' }, [next.head_name + ', ' + address(next)])])]));
    m.append(el('p', {}, [el('a', { href: '/round' }, [t('offline-back')])]));
    trySend();
  }
  // Changes to a household, recorded as proposals the village head confirms.
  var FIELDS = { 'new': ['head_name', 'hamlet', 'alley', 'house_number', 'members', 'note'], split: ['head_name', 'hamlet', 'alley', 'house_number', 'members', 'note'],
    move: ['hamlet', 'alley', 'house_number', 'note'], death: ['members', 'note'] };
  function proposalForm(kind, id) {
    var h = id && household(id), m = main(), f = el('form', { id: 'offline-proposal-form' }), villages = {};
    if (!FIELDS[kind] || (kind !== 'new' && !h)) return;
    m.append(el('h2', {}, [t('offline-propose-' + kind)]), h ? el('p', { translate: 'no' }, [h.head_name + ', ' + address(h)]) : null);
    if (kind === 'new') {
      pack.households.forEach(function (x) { if (x.village_id) villages[x.village_id] = x.village; });
      f.append(field(t('offline-village'), el('select', { id: 'village_id', name: 'village_id' }, Object.keys(villages).map(function (v) { return el('option', { value: v, translate: 'no' }, [villages[v]]); }))));
    }
    FIELDS[kind].forEach(function (n) {
      var input = n === 'note' ? el('textarea', { id: n, name: n, rows: 3, translate: 'no' }) : el('input', { id: n, name: n, type: n === 'members' ? 'number' : 'text', min: 0, required: n === 'head_name' ? '' : null });
      f.append(field(t('offline-' + n.replace('_', '-')), input));
    });
    f.append(el('button', { type: 'submit', 'class': 'big' }, [t('offline-save')]));
    m.append(f);
    keepDraft(f, 'draft:' + kind + ':' + (id || ''));
    f.onsubmit = function (e) {
      e.preventDefault();
      var d = read(f), data = {};
      FIELDS[kind].forEach(function (n) { data[n] = n === 'members' ? (d[n] === '' ? null : +d[n]) : d[n] || ''; });
      var body = { id: LO.uuid7(), kind: kind, household_id: h ? h.id : null, village_id: h ? h.village_id || null : d.village_id || null,
        member_id: pack.member_id, recorded_on: today(), data: data };
      LO.save({ id: body.id, kind: 'proposal', at: Date.now(), body: body, label: t('offline-propose-' + kind) + ': ' + (data.head_name || (h && h.head_name) || '') })
        .then(function () { return LO.del('draft:' + kind + ':' + (id || '')); })
        .then(function () { history.replaceState(null, '', location.pathname); saved(t('offline-proposal-saved')); });
    };
  }
  // A form's values by name (checkboxes as lists).
  function read(f) {
    var d = {};
    new FormData(f).forEach(function (v, k) { d[k] = d[k] === undefined ? v : [].concat(d[k], v); });
    return d;
  }
  // A half-filled form survives a reload: saved as typed, put back when the form is drawn.
  function keepDraft(f, key) {
    LO.get(key).then(function (d) {
      Object.keys(d || {}).forEach(function (k) {
        Array.prototype.forEach.call(f.elements[k] ? (f.elements[k].length && !f.elements[k].options ? f.elements[k] : [f.elements[k]]) : [], function (i) {
          if (i.type === 'radio' || i.type === 'checkbox') i.checked = [].concat(d[k]).indexOf(i.value) >= 0; else i.value = d[k];
        });
      });
    });
    f.addEventListener('input', function () { LO.put(key, read(f)); });
    f.addEventListener('change', function () { LO.put(key, read(f)); });
  }

  // --- logout: warn while visits wait; clear the copy, the queue only on a second yes -------
  document.addEventListener('submit', function (e) {
    var f = e.target;
    if (!f.hasAttribute('data-offline-logout')) return;
    e.preventDefault();
    Promise.all([LO.items(), LO.get('labels')]).then(function (a) {
      L = a[1] || L;
      var n = a[0].length;
      if (n && !confirm(t('offline-logout-waiting', { n: n }))) return;
      return LO.forget(n > 0 && confirm(t('offline-logout-discard'))).then(function () { f.submit(); });
    }).catch(function () { f.submit(); });
  }, true);

  // --- start ----------------------------------------------------------------------------
  if (!window.indexedDB) return;
  var meta = document.querySelector('meta[name=csrf-token]');
  var online = box && !shell;
  if (online && navigator.serviceWorker) navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(function () {});
  if (navigator.serviceWorker) navigator.serviceWorker.addEventListener('message', function () { status(); });
  (meta ? LO.put('csrf', meta.content) : Promise.resolve()).then(LO.touch).then(function (expired) {
    return Promise.all([LO.get('pack'), LO.get('labels')]).then(function (a) {
      pack = a[0]; L = (pack && pack.labels) || a[1] || {};
      // A page the server drew in one language never shows texts kept from a visit in the
      // other: they wait for this page's own copy (fetched below).
      if (online && L['offline-lang'] && L['offline-lang'] !== document.documentElement.lang) L = {};
      if (expired) notice = t('offline-expired', { days: LO.KEEP_DAYS });
    });
  }).then(function () {
    route();
    return trySend();
  }).then(function () {
    if (online) return fetchPack().then(status).then(route);
  });
  window.addEventListener('online', trySend);
  window.addEventListener('hashchange', route);
  // Signal comes back without an 'online' event (weak network): retry while visits wait.
  setInterval(function () { LO.items().then(function (i) { if (i.some(function (x) { return !x.refused; })) trySend(); }); }, 20000);
})();
