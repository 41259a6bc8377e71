/* report.js - the flag table's search and sort, income charts opened in
 * place (income.js), and a self-check the tests run by opening the page
 * with #selftest (or #selftest:QUERY). */
(function () {
'use strict';
var d = document, root = d.documentElement;
root.classList.remove('nojs');
function $(id) { return d.getElementById(id); }
var table = $('flag-table'), body = table.tBodies[0], box = $('flag-search');
var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
var rows = Array.prototype.slice.call(body.rows);
var texts = rows.map(function (r) { return r.textContent.toLowerCase(); });
rows.forEach(function (r) {
  if (!r.hasAttribute('data-m')) return;
  var td = r.cells[1], b = d.createElement('button');
  td.setAttribute('data-k', td.textContent);
  b.className = 'inc';
  b.type = 'button';
  b.textContent = '收入图';
  b.setAttribute('aria-expanded', 'false');
  td.appendChild(b);
});
var dets = [], opened = [], sorted = [0, 1];
var coll = new Intl.Collator('zh-CN', {numeric: true});

function filter() {
  var terms = box.value.toLowerCase().trim().split(/ +/).filter(function (t) { return t; });
  var n = 0;
  rows.forEach(function (r, i) {
    var ok = terms.every(function (t) { return texts[i].indexOf(t) >= 0; });
    r.hidden = !ok;
    if (dets[i]) dets[i].hidden = !ok || !opened[i];
    if (ok) n++;
  });
  $('flag-shown').textContent = n;
  return n;
}
box.addEventListener('input', filter);

function key(r, c) {
  var td = r.cells[c];
  return td.hasAttribute('data-k') ? td.getAttribute('data-k') : td.textContent;
}
function sortBy(c, dir) {
  var keys = rows.map(function (r) { return key(r, c); });
  var order = rows.map(function (r, i) { return i; });
  order.sort(function (a, b) {
    var x = keys[a], y = keys[b];
    if (!x !== !y) return x ? -1 : 1;
    return dir * coll.compare(x, y) || a - b;
  });
  var frag = d.createDocumentFragment();
  order.forEach(function (i) {
    frag.appendChild(rows[i]);
    if (dets[i]) frag.appendChild(dets[i]);
  });
  body.appendChild(frag);
  heads.forEach(function (h, j) {
    h.classList.toggle('asc', j === c && dir > 0);
    h.classList.toggle('desc', j === c && dir < 0);
    h.setAttribute('aria-sort', j !== c ? 'none' : dir > 0 ? 'ascending' : 'descending');
  });
  sorted = [c, dir];
}
heads.forEach(function (h, j) {
  function go() { sortBy(j, sorted[0] === j ? -sorted[1] : 1); }
  h.tabIndex = 0;
  h.addEventListener('click', go);
  h.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); go(); }
  });
});

function toggle(i, open) {
  var r = rows[i];
  if (open && !dets[i]) {
    var tr = d.createElement('tr'), td = d.createElement('td');
    tr.className = 'det';
    td.colSpan = r.cells.length;
    td.innerHTML = xcIncome.html(xcIncome.decode(r.getAttribute('data-m')));
    tr.appendChild(td);
    r.parentNode.insertBefore(tr, r.nextSibling);
    dets[i] = tr;
  }
  opened[i] = open;
  if (dets[i]) dets[i].hidden = !open || r.hidden;
  r.querySelector('button.inc').setAttribute('aria-expanded', open ? 'true' : 'false');
}
body.addEventListener('click', function (e) {
  var b = e.target.closest('button.inc');
  if (!b) return;
  var i = +b.closest('tr').getAttribute('data-i');
  toggle(i, !opened[i]);
  var first = opened[i] && e.isTrusted && dets[i].querySelector('tr.in');
  if (first) first.closest('.mtw').scrollTop = Math.max(0, first.offsetTop - 40);
});
d.addEventListener('click', function (e) {
  var a = e.target.closest('a[data-q]');
  if (!a) return;
  box.value = a.getAttribute('data-q');
  filter();
});

function selftest(q) {
  var log = [], months = [], ok = true;
  function check(c, what) { if (!c) { ok = false; log.push('FAIL ' + what); } }
  function visible() {
    return Array.prototype.filter.call(body.rows, function (r) {
      return !r.hidden && r.className !== 'det';
    });
  }
  function inOrder(c, dir) {
    var v = visible();
    for (var i = 1; i < v.length; i++) {
      var x = key(v[i - 1], c), y = key(v[i], c);
      if (x && y && dir * coll.compare(x, y) > 0) return false;
    }
    return true;
  }
  var rt = $('rate-table');
  log.push('rate-rows ' + (rt ? rt.tBodies[0].rows.length : 0));
  log.push('charts ' + d.querySelectorAll('svg.chart').length);
  log.push('flags ' + rows.length);
  if (rows.length) {
    box.value = q || rows[0].cells[3].textContent;
    var n = filter();
    check(n === visible().length, 'search count');
    log.push('search ' + box.value + ' ' + n);
    box.value = 'no-such-flag-zz';
    log.push('search-none ' + filter());
    box.value = '';
    log.push('search-all ' + filter());
    heads[3].click();
    check(inOrder(3, 1), 'sort ascending');
    log.push('sort-asc-first ' + visible()[0].cells[3].textContent);
    heads[3].click();
    check(inOrder(3, -1), 'sort descending');
    log.push('sort-desc-first ' + visible()[0].cells[3].textContent);
    heads[0].click();
    check(inOrder(0, 1) && visible()[0] === rows[0], 'sort back');
  }
  var inc = rows.filter(function (r) { return r.hasAttribute('data-m'); });
  log.push('income-flags ' + inc.length);
  inc.slice(0, 200).forEach(function (r, k) {
    var i = +r.getAttribute('data-i'), x = xcIncome.decode(r.getAttribute('data-m'));
    r.querySelector('button.inc').click();
    check(opened[i] && dets[i] && !dets[i].hidden, 'income open ' + (i + 1));
    var bars = dets[i].querySelectorAll('svg.inc-chart rect.m').length;
    check(bars === x.months.length, 'income bars ' + (i + 1));
    x.months.forEach(function (e) {
      months.push((i + 1) + ' ' + e.m + ' ' + e.hi + ' ' + e.mem + ' ' + e.pc + ' ' +
        (e.st === '' ? 'null' : e.st) + ' ' + e.v);
    });
    if (k > 0) r.querySelector('button.inc').click();
  });
  log.push('income-charts ' + d.querySelectorAll('svg.inc-chart').length);
  log.push('result ' + (ok ? 'pass' : 'fail'));
  $('selftest-log').textContent = log.join('\n');
  $('selftest-months').textContent = months.join('\n');
  root.setAttribute('data-selftest', ok ? 'pass' : 'fail');
}
var h = location.hash;
if (h.indexOf('#selftest') === 0) selftest(decodeURIComponent(h.slice(10)));
root.setAttribute('data-ready', '1');
})();
