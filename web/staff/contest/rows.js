// The create form's rows: rounds (open and close times), the ranking order (moved up
// and down) and the prize tiers.
import { $, el } from '../../lib/dom.js';
import { localInput } from '../../lib/format.js';

var RANKING_LABEL = {
  score: 'Điểm cao hơn',
  predictionDistance: 'Dự đoán gần đáp án hơn',
  durationMs: 'Thời gian làm bài ngắn hơn',
  submittedAt: 'Nộp bài sớm hơn'
};
export var DEFAULT_RANKING = ['score', 'predictionDistance', 'durationMs', 'submittedAt'];
export var DEFAULT_PRIZES = [['Nhất', 1, 2000000], ['Nhì', 2, 1000000], ['Ba', 3, 500000], ['Khuyến khích', 5, 200000]];

function numberField(cls, label, value, min, max, step) {
  var f = el('div', 'field');
  var lab = el('label', null, label);
  var inp = el('input', cls);
  inp.type = 'number';
  inp.min = min;
  if (max != null) inp.max = max;
  inp.step = step || 1;
  inp.inputMode = 'numeric';
  inp.value = value;
  var id = cls + '-' + Math.random().toString(36).slice(2, 8);
  inp.id = id;
  lab.htmlFor = id;
  f.appendChild(lab);
  f.appendChild(inp);
  return f;
}

// moneyField is a prize amount in đồng, grouped as it is typed ("2.000.000 đ"): a text
// field, as a number field neither shows nor keeps the thousands dots.
function moneyField(cls, label, value) {
  var f = el('div', 'field');
  var lab = el('label', null, label);
  var id = cls + '-' + Math.random().toString(36).slice(2, 8);
  var box = el('div', 'money');
  var inp = el('input', cls);
  inp.type = 'text';
  inp.inputMode = 'numeric';
  inp.autocomplete = 'off';
  inp.id = id;
  inp.value = groupDigits(String(value == null ? '' : value));
  lab.htmlFor = id;
  inp.addEventListener('input', function () {
    // Keep the caret after the same number of digits as before the regrouping.
    var caret = inp.selectionStart == null ? inp.value.length : inp.selectionStart;
    var before = inp.value.slice(0, caret).replace(/\D/g, '').length;
    inp.value = groupDigits(inp.value);
    var pos = 0, seen = 0;
    while (pos < inp.value.length && seen < before) { if (/\d/.test(inp.value[pos])) seen++; pos++; }
    inp.setSelectionRange(pos, pos);
  });
  box.appendChild(inp);
  box.appendChild(el('span', 'unit', 'đ'));
  f.appendChild(lab);
  f.appendChild(box);
  return f;
}

// groupDigits keeps the digits of s, grouped by three with dots (Vietnamese style).
function groupDigits(s) {
  var d = s.replace(/\D/g, '').replace(/^0+(?=\d)/, '');
  return d.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

// moneyValue reads a money field: its digits as a number, NaN when it has none.
export function moneyValue(inp) {
  var d = inp.value.replace(/[.\s]/g, '');
  return d === '' ? 0 : /^\d+$/.test(d) ? Number(d) : NaN;
}

export function addRound(opens, closes) {
  var box = $('c-rounds');
  var row = el('div', 'row-item round-row');
  var nf = el('div', 'field');
  var nid = 'c-round-name-' + Math.random().toString(36).slice(2, 8);
  var nlab = el('label', null, 'Tên vòng');
  nlab.htmlFor = nid;
  var name = el('input', 'c-round-name');
  name.type = 'text';
  name.id = nid;
  name.maxLength = 100;
  nf.appendChild(nlab);
  nf.appendChild(name);
  row.appendChild(nf);
  [['c-open', 'Mở lúc', opens], ['c-close', 'Đóng lúc', closes]].forEach(function (x) {
    var f = el('div', 'field');
    var id = x[0] + '-' + Math.random().toString(36).slice(2, 8);
    var lab = el('label', null, x[1]);
    lab.htmlFor = id;
    var inp = el('input', x[0]);
    inp.type = 'datetime-local';
    inp.id = id;
    inp.value = localInput(x[2]);
    f.appendChild(lab);
    f.appendChild(inp);
    row.appendChild(f);
  });
  var rm = el('button', 'btn small', 'Xóa');
  rm.type = 'button';
  rm.addEventListener('click', function () {
    if (box.children.length > 1) { row.remove(); numberRounds(); }
  });
  row.appendChild(rm);
  box.appendChild(row);
  numberRounds();
}
// numberRounds gives the rows their ids (r1, r2… in links, never shown) and their default
// names: an untouched name follows the row's position, a typed one stays.
function numberRounds() {
  var rows = $('c-rounds').querySelectorAll('.round-row');
  for (var i = 0; i < rows.length; i++) {
    var name = rows[i].querySelector('.c-round-name');
    var def = 'Vòng ' + (i + 1);
    if (!name.value || name.getAttribute('data-default') === name.value) {
      name.value = def;
      name.setAttribute('data-default', def);
    }
    rows[i].setAttribute('data-round-id', 'r' + (i + 1));
    rows[i].querySelector('button').setAttribute('aria-label', 'Xóa ' + (name.value || def));
  }
}
$('c-add-round').addEventListener('click', function () {
  var rows = $('c-rounds').querySelectorAll('.round-row');
  var last = rows[rows.length - 1];
  var from = last ? new Date(last.querySelector('.c-close').value) : new Date();
  if (isNaN(from.getTime())) from = new Date();
  addRound(from, new Date(from.getTime() + 7 * 86400000));
});

export function renderRankingOrder(order) {
  var ol = $('c-ranking');
  ol.textContent = '';
  order.forEach(function (key, i) {
    var li = el('li');
    li.setAttribute('data-key', key);
    li.appendChild(el('span', null, RANKING_LABEL[key]));
    var up = el('button', 'btn small', '↑ Lên');
    up.type = 'button';
    up.disabled = i === 0;
    up.setAttribute('aria-label', 'Đưa «' + RANKING_LABEL[key] + '» lên');
    up.addEventListener('click', function () { moveRanking(i, -1); });
    var down = el('button', 'btn small', '↓ Xuống');
    down.type = 'button';
    down.disabled = i === order.length - 1;
    down.setAttribute('aria-label', 'Đưa «' + RANKING_LABEL[key] + '» xuống');
    down.addEventListener('click', function () { moveRanking(i, 1); });
    li.appendChild(up);
    li.appendChild(down);
    ol.appendChild(li);
  });
}
export function rankingOrder() {
  return Array.prototype.map.call($('c-ranking').children, function (li) { return li.getAttribute('data-key'); });
}
function moveRanking(i, delta) {
  var order = rankingOrder();
  var j = i + delta;
  if (j < 0 || j >= order.length) return;
  var t = order[i]; order[i] = order[j]; order[j] = t;
  renderRankingOrder(order);
  var btns = $('c-ranking').children[j].querySelectorAll('button');
  var b = btns[delta < 0 ? 0 : 1];
  (b.disabled ? btns[delta < 0 ? 1 : 0] : b).focus();
}

export function addPrize(tier, count, amount) {
  var row = el('div', 'prize-row');
  var f = el('div', 'field');
  var id = 'c-tier-' + Math.random().toString(36).slice(2, 8);
  var lab = el('label', null, 'Giải');
  lab.htmlFor = id;
  var inp = el('input', 'c-tier');
  inp.type = 'text';
  inp.id = id;
  inp.maxLength = 50;
  inp.value = tier;
  f.appendChild(lab);
  f.appendChild(inp);
  row.appendChild(f);
  row.appendChild(numberField('c-count', 'Số giải', count, 1, 10000));
  row.appendChild(moneyField('c-amount', 'Giá trị mỗi giải (đồng)', amount));
  var rm = el('button', 'btn small', 'Xóa');
  rm.type = 'button';
  rm.setAttribute('aria-label', 'Xóa hạng giải');
  rm.addEventListener('click', function () { row.remove(); });
  row.appendChild(rm);
  $('c-prizes').appendChild(row);
}
$('c-add-prize').addEventListener('click', function () { addPrize('', 1, 0); });
