// What the dashboard's panels share: the signed-in user, the unit tree, the quizzes.
export var state = {
  me: null,
  units: {},        // id → unit
  scopeUnits: [],   // [{unit, depth}] the staff's subtree, in tree order
  quizzes: [],      // published and closed, within scope
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
