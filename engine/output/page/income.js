/* income.js - a flag's income months (the data-m of its row) as a chart
 * against the local standard and as a table, for report.js. */
var xcIncome = (function () {
'use strict';
function esc(s) {
  return String(s).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; });
}
function ym(y, m) { return y + '-' + (m < 9 ? '0' : '') + (m + 1); }
function decode(s) {
  var p = s.split(';'), first = p[3].split('-'), y = +first[0], m = +first[1] - 1, out = [];
  p[4].split(',').forEach(function (t) {
    var k = 1, star = t.indexOf('*');
    if (star >= 0) { k = +t.slice(star + 1); t = t.slice(0, star); }
    var f = t.split(':');
    for (var j = 0; j < k; j++) {
      out.push({m: ym(y, m), hi: f[0], mem: f[1], pc: f[2], st: f[3], v: f[4]});
      if (++m === 12) { m = 0; y++; }
    }
  });
  return {from: p[0], to: p[1], factor: p[2], months: out};
}
function verdict(e, factor) {
  if (e.pc === '') return '社保数据未覆盖，无法判断';
  if (e.st === '') return '无标准，不能判定';
  var f = factor === '1' ? '' : '×' + factor, a = e.v.charAt(0) === '1', b = e.v.charAt(1) === '1';
  if (a && b) return '高于标准' + f + '且低于标准';
  if (a) return '高于标准' + f;
  if (b) return '低于标准';
  return f ? '介于标准与标准' + f + '之间' : '等于标准';
}
function nice(v) {
  if (!(v > 0)) return 1;
  var p = Math.pow(10, Math.floor(Math.log10(v))), q = v / p;
  return (q <= 1 ? 1 : q <= 2 ? 2 : q <= 5 ? 5 : 10) * p;
}
function inWindow(x, m) {
  return x.from !== '' && x.to !== '' && m >= x.from.slice(0, 7) && m <= x.to.slice(0, 7);
}
function incomeSvg(x) {
  var ms = x.months, n = ms.length, W = 660, H = 250, L = 70, R = 20, T = 28, B = 44;
  var pw = W - L - R, ph = H - T - B, bw = pw / n, f = parseFloat(x.factor) || 1, max = 0;
  ms.forEach(function (e) {
    max = Math.max(max, +e.pc, e.st === '' ? 0 : +e.st * Math.max(f, 1));
  });
  var step = nice(max / 4), top = step * Math.max(1, Math.ceil(max / step - 1e-9));
  function Y(v) { return (T + ph - ph * v / top).toFixed(1); }
  function X(i) { return (L + i * bw).toFixed(1); }
  var s = ['<svg class="inc-chart" data-months="' + n + '" viewBox="0 0 ' + W + ' ' + H +
    '" width="' + W +
    '" height="' + H + '" role="img" aria-label="家庭人均月收入与低保标准">'];
  var w0 = -1, w1 = -1;
  ms.forEach(function (e, i) { if (inWindow(x, e.m)) { if (w0 < 0) w0 = i; w1 = i; } });
  if (w0 >= 0) {
    s.push('<rect class="win" x="' + X(w0) + '" y="' + T + '" width="' +
      ((w1 - w0 + 1) * bw).toFixed(1) + '" height="' + ph + '"/>');
    var right = w0 > n / 2, lx = right ? X(w1 + 1) : X(w0);
    s.push('<text x="' + lx + '" y="' + (T - 8) + '" class="wl" text-anchor="' +
      (right ? 'end' : 'start') + '">疑点期间 ' +
      esc(x.from) + ' 至 ' + esc(x.to) + '</text>');
  } else if (x.from !== '') {
    var at = n;
    ms.forEach(function (e, i) { if (e.m === x.from.slice(0, 7)) at = i; });
    s.push('<line class="mk" x1="' + X(at) + '" y1="' + (T - 4) + '" x2="' + X(at) +
      '" y2="' + (T + ph) + '"/><text x="' + X(at) + '" y="' + (T - 8) +
      '" text-anchor="end">疑点日期 ' + esc(x.from) + '</text>');
  }
  for (var k = 0; k * step <= top + 1e-9; k++) {
    var v = k * step, y = Y(v);
    s.push('<line x1="' + L + '" x2="' + (W - R) + '" y1="' + y + '" y2="' + y +
      '" stroke="#e3e7ee"/><text x="' + (L - 6) + '" y="' + (+y + 4) +
      '" text-anchor="end">' + (step < 1 ? v.toFixed(2) : v.toFixed(0)) + '</text>');
  }
  s.push('<text x="' + 4 + '" y="' + (T - 14) + '">元/人·月</text>');
  var every = Math.ceil(n / 8);
  ms.forEach(function (e, i) {
    var h = e.pc === '' ? 0 : ph * (+e.pc) / top, gap = Math.min(2, bw * 0.2);
    s.push('<rect class="m m' + e.v + '" x="' + (L + i * bw + gap).toFixed(1) + '" y="' +
      (T + ph - h).toFixed(1) + '" width="' + Math.max(1, bw - 2 * gap).toFixed(1) +
      '" height="' + h.toFixed(1) + '"><title>' + esc(e.m + ' 人均 ' + (e.pc === '' ? '未知' : e.pc + ' 元') + '，标准 ' +
      (e.st === '' ? '无' : e.st + ' 元') + '：' + verdict(e, x.factor)) + '</title></rect>');
    if (i % every === 0)
      s.push('<text x="' + (L + (i + 0.5) * bw).toFixed(1) + '" y="' + (T + ph + 16) +
        '" text-anchor="middle">' + e.m + '</text>');
  });
  function line(cls, mult) {
    var p = '', prev = false;
    ms.forEach(function (e, i) {
      if (e.st === '') { prev = false; return; }
      var y = Y(+e.st * mult);
      p += (prev ? 'V' : 'M' + X(i) + ' ') + y + 'H' + X(i + 1);
      prev = true;
    });
    if (p) s.push('<path class="' + cls + '" d="' + p + '"/>');
  }
  line('std', 1);
  if (f !== 1) line('fac', f);
  s.push('<line x1="' + L + '" x2="' + (W - R) + '" y1="' + (T + ph) + '" y2="' + (T + ph) +
    '" stroke="#6b7280"/></svg>');
  return s.join('');
}
function incomeHtml(x) {
  var f = x.factor === '1' ? '' : '×' + esc(x.factor);
  var h = '<div class="incbox"><div>' + incomeSvg(x) + '<div class="note">' +
    '<span class="sw m10"></span>人均收入高于标准' + f + '<span class="sw m01"></span>低于标准' +
    '<span class="sw m00"></span>其他<span class="sw std"></span>当地低保标准' +
    (f ? '（虚线：标准' + f + '）' : '') + '；黄色底纹：疑点期间</div></div>';
  h += '<div class="mtw"><table class="mt"><thead><tr><th>月份</th><th class="n">家庭月收入</th>' +
    '<th class="n">人数</th><th class="n">人均</th><th class="n">低保标准</th><th>判定</th>' +
    '</tr></thead><tbody>';
  x.months.forEach(function (e) {
    h += '<tr' + (inWindow(x, e.m) ? ' class="in"' : '') + '><td>' + e.m + '</td><td class="n">' +
      (e.hi === '' ? '—' : esc(e.hi)) + '</td><td class="n">' + esc(e.mem) + '</td><td class="n">' + (e.pc === '' ? '—' : esc(e.pc)) +
      '</td><td class="n">' + (e.st === '' ? '无' : esc(e.st)) + '</td><td>' +
      verdict(e, x.factor) + '</td></tr>';
  });
  return h + '</tbody></table><div class="note">金额单位：元；与 evidence.jsonl 中的 months 一致</div>' +
    '</div></div>';
}
return {decode: decode, html: incomeHtml};
})();
