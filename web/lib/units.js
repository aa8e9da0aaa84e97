// The unit tree on the staff pages: the signed-in user's scope unit and its subtree.
import { el } from './dom.js';

// buildUnits indexes the units by id and lists the scope unit and its subtree, in tree
// order: {units: id → unit, scopeUnits: [{unit, depth}]}.
export function buildUnits(list, scopeUnitId) {
  var children = {};
  var units = {};
  list.forEach(function (u) {
    units[u.id] = u;
    (children[u.parentId || ''] = children[u.parentId || ''] || []).push(u);
  });
  var out = [];
  (function walk(id, depth) {
    var u = units[id];
    if (!u) return;
    out.push({ unit: u, depth: depth });
    (children[id] || []).forEach(function (c) { walk(c.id, depth + 1); });
  })(scopeUnitId, 0);
  return { units: units, scopeUnits: out };
}

// unitOption is an <option> for a {unit, depth} entry, indented by its depth.
export function unitOption(entry) {
  var indent = '';
  for (var i = 0; i < entry.depth; i++) indent += '\u00a0\u00a0\u00a0\u00a0';
  var o = el('option', null, indent + entry.unit.name);
  o.value = entry.unit.id;
  return o;
}
