// What the dashboard's panels share: the signed-in user, the unit tree, the quizzes.
export var state = {
  me: null,
  units: {},        // id → unit
  scopeUnits: [],   // [{unit, depth}] the staff's subtree, in tree order
  quizzes: [],      // published and closed, within scope
  allQuizzes: [],   // every quiz the staff may see (GET /v1/admin/quizzes), drafts too
  staff: null,      // the staff accounts listed in the staff panel (admins), once loaded
  last: {}          // section → {path, params} last loaded, for downloads
};

// quizById is the quiz with this id among state.quizzes, or null.
export function quizById(id) {
  return state.quizzes.filter(function (q) { return q.id === id; })[0] || null;
}

// qs builds a query string from the non-empty params.
export function qs(params) {
  var parts = [];
  Object.keys(params).forEach(function (k) {
    if (params[k] != null && params[k] !== '') parts.push(encodeURIComponent(k) + '=' + encodeURIComponent(params[k]));
  });
  return parts.join('&');
}

// CHANGED names the events by which a panel tells the others that the units, the
// quizzes or the staff accounts changed (on document), so that no panel imports another.
export var CHANGED = { units: 'nq58:units-changed', quizzes: 'nq58:quizzes-changed', staff: 'nq58:staff-changed' };

// announce tells the other panels that what (a key of CHANGED) changed.
export function announce(what) { document.dispatchEvent(new CustomEvent(CHANGED[what])); }
