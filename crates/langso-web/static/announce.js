// Langso: on the announcement composer, narrows the target list while typing and keeps the
// ticked targets in the announcement's form without a round trip; on an announcement, copies
// the Zalo-group text. Every page works without it (a GET search, a selectable text box).
(function () {
  var q = document.getElementById('q');
  var list = document.getElementById('target-form');
  if (q && list) {
    var fold = function (s) {
      return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
    };
    q.addEventListener('input', function () {
      var needle = fold(q.value.trim());
      list.querySelectorAll('.choice').forEach(function (c) {
        var box = c.querySelector('input');
        c.hidden = !(box.checked || needle === '' || fold(c.getAttribute('data-label') || '').indexOf(needle) >= 0);
      });
    });
    var post = document.querySelector('form[method=post][action="/announcements/new"]');
    list.addEventListener('change', function (e) {
      if (!post || !e.target || e.target.name !== 'target') return;
      var value = e.target.value;
      var existing = post.querySelector('input[type=hidden][name=target][value="' + value + '"]');
      if (e.target.checked && !existing) {
        var input = document.createElement('input');
        input.type = 'hidden'; input.name = 'target'; input.value = value;
        post.appendChild(input);
      } else if (!e.target.checked && existing) {
        existing.remove();
      }
    });
  }
  var copy = document.getElementById('zalo-copy');
  var text = document.getElementById('zalo-text');
  if (copy && text && navigator.clipboard) {
    copy.hidden = false;
    copy.addEventListener('click', function () {
      navigator.clipboard.writeText(text.value).then(function () {
        copy.textContent = copy.getAttribute('data-done');
      });
    });
  }
})();
