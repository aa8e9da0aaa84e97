// The village picker on the start screen: one select per level of the unit tree, levels
// with a single non-leaf option implied, and a village preset from a QR code's ?unit=.
import { $, el, showError } from '../lib/dom.js';

var UNIT_LABEL = { province: 'Tỉnh', district: 'Huyện', commune: 'Xã', ward: 'Phường', town: 'Thị trấn', village: 'Thôn', hamlet: 'Bản', quarter: 'Khu phố' };

var units = {};      // id -> unit
var kids = {};       // parentId -> [unit]
var roots = [];
var unitPath = [];   // chosen ids from the top level down

// indexUnits takes the unit list of GET /v1/units.
export function indexUnits(list) {
  units = {}; kids = {}; roots = [];
  list.forEach(function (u) { units[u.id] = u; });
  list.forEach(function (u) {
    var p = u.parentId;
    if (p != null && p !== '' && units[p]) (kids[p] = kids[p] || []).push(u);
    else roots.push(u);
  });
}
function isLeaf(id) { return !kids[id] || !kids[id].length; }
// A level is skipped (implied) when it has a single option whose children
// are not leaves, e.g. the one province above the communes.
function implied(opts) {
  return opts.length === 1 && kids[opts[0].id] && kids[opts[0].id].some(function (c) { return !isLeaf(c.id); });
}
function levelLabel(opts) {
  var seen = [];
  opts.forEach(function (u) {
    var l = UNIT_LABEL[u.kind] || 'Đơn vị';
    if (seen.indexOf(l) < 0) seen.push(l);
  });
  return seen.join('/');
}

// renderUnits draws the picker from the top level.
export function renderUnits() { buildUnitLevels(0, roots); }

// Removes levels deeper than `depth` and appends the levels below it.
function buildUnitLevels(depth, opts) {
  var box = $('units');
  var rows = box.querySelectorAll('[data-depth]');
  for (var i = 0; i < rows.length; i++) {
    if (+rows[i].getAttribute('data-depth') >= depth) box.removeChild(rows[i]);
  }
  while (opts && opts.length) {
    var chosen = unitPath[depth];
    if (chosen != null && !opts.some(function (u) { return String(u.id) === String(chosen); })) chosen = null;
    if (implied(opts)) {
      chosen = opts[0].id;
      var cap = el('p', 'small', opts[0].name);
      cap.setAttribute('data-depth', depth);
      box.appendChild(cap);
    } else {
      if (chosen == null && opts.length === 1) chosen = opts[0].id;
      box.appendChild(unitSelect(depth, opts, chosen));
    }
    if (chosen == null) { unitPath.length = depth; return; }
    unitPath[depth] = chosen;
    opts = kids[chosen];
    depth++;
  }
  unitPath.length = depth;
}

function unitSelect(depth, opts, chosen) {
  var label = levelLabel(opts);
  var wrap = el('div', 'field');
  wrap.setAttribute('data-depth', depth);
  var id = 'unit-' + depth;
  var lab = el('label', null, label);
  lab.htmlFor = id;
  var sel = el('select', 'unit-select');
  sel.id = id;
  var ph = el('option', null, '— Chọn ' + label.toLowerCase() + ' —');
  ph.value = '';
  sel.appendChild(ph);
  opts.forEach(function (u) {
    var o = el('option', null, u.name);
    o.value = u.id;
    sel.appendChild(o);
  });
  sel.value = chosen == null ? '' : String(chosen);
  sel.addEventListener('change', function () {
    var u = units[sel.value];
    unitPath.length = depth;
    if (u) unitPath[depth] = u.id;
    $('unit-preset').hidden = true;
    buildUnitLevels(depth + 1, u ? kids[u.id] : null);
  });
  wrap.appendChild(lab);
  wrap.appendChild(sel);
  return wrap;
}

// chosenLeaf is the chosen village (a leaf of the tree), or null.
export function chosenLeaf() {
  var id = unitPath[unitPath.length - 1];
  return id != null && units[id] && isLeaf(id) ? units[id] : null;
}

// presetUnit chooses the unit id and its ancestors (a QR code's ?unit=). A village is
// then shown as one line with "Đổi" instead of the selects, which keeps the start
// button on the first screen; a unit above the villages leaves the selects to finish.
export function presetUnit(id) {
  var u = units[id];
  if (!u) { showError('Không tìm thấy thôn/đơn vị trong mã QR. Vui lòng chọn thủ công.'); return; }
  var leaf = isLeaf(u.id);
  var path = [], names = [];
  for (var guard = 0; u && guard < 20; guard++) {
    path.unshift(u.id);
    // The province is the same for everyone: the village and its commune say enough.
    if (names.length < 2) names.push(u.name);
    u = u.parentId != null ? units[u.parentId] : null;
  }
  unitPath = path;
  $('unit-preset-name').textContent = names.join(', ');
  $('unit-preset').hidden = !leaf;
  $('units').hidden = leaf;
}

$('unit-change').addEventListener('click', function () {
  $('unit-preset').hidden = true;
  $('units').hidden = false;
  var sels = document.querySelectorAll('select.unit-select');
  if (sels.length) sels[sels.length - 1].focus();
});
