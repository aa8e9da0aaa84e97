// The dashboard's tables: cells, and sorting by buttons in the header cells
// (keyboard-usable, with aria-sort).
import { el } from '../lib/dom.js';

// Wording of groups too small to judge.
export var TOO_FEW = 'Quá ít để đánh giá';
export var NONE_YET = 'Chưa có người tham gia';

// sortState maps a table id to its sort: {key, dir}.
export var sortState = {};

// setSortValues gives a row its values by sort key.
export function setSortValues(tr, values) { tr._sort = values; }

// sortTable sorts a table's body by its sortState (missing values last).
export function sortTable(table) {
  var s = sortState[table.id];
  if (!s) return;
  var type = 'num';
  table.querySelectorAll('thead th[data-sort]').forEach(function (th) {
    var active = th.getAttribute('data-sort') === s.key;
    if (active) {
      type = th.getAttribute('data-type') || 'num';
      th.setAttribute('aria-sort', s.dir > 0 ? 'ascending' : 'descending');
    } else {
      th.removeAttribute('aria-sort');
    }
  });
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  rows.sort(function (a, b) {
    var x = a._sort ? a._sort[s.key] : null, y = b._sort ? b._sort[s.key] : null;
    if (x == null && y == null) return 0;
    if (x == null) return 1; // missing values last, either way
    if (y == null) return -1;
    var c = type === 'text' ? String(x).localeCompare(String(y), 'vi') : x - y;
    return c * s.dir;
  });
  rows.forEach(function (r) { tbody.appendChild(r); });
}

document.addEventListener('click', function (ev) {
  var btn = ev.target.closest && ev.target.closest('table.sortable thead th[data-sort] button');
  if (!btn) return;
  var th = btn.parentNode, table = th.closest('table');
  var key = th.getAttribute('data-sort');
  var s = sortState[table.id];
  var textual = th.getAttribute('data-type') === 'text';
  // Numbers sort from the highest first, text from A.
  sortState[table.id] = { key: key, dir: s && s.key === key ? -s.dir : (textual ? 1 : -1) };
  sortTable(table);
});

// cell appends a cell to a row (a row header when tag is "th").
export function cell(tr, tag, cls, text) {
  var c = el(tag, cls, text);
  if (tag === 'th') c.setAttribute('scope', 'row');
  tr.appendChild(c);
  return c;
}
