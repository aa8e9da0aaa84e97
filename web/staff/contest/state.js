// What the contest page's panels share: the signed-in user, the unit tree, the quizzes,
// the chosen contest and round, and small helpers.
//
// The panels import downward only (main → create → pickers → closing → ranking → flags;
// pickers and closing → winners; each → state) and ask a panel above them through the
// page's events (lib/events.js):
//   'round-state': the round's state may have changed, redraw its line (pickers.js);
//   'disqualified': an entry left the ranking, load it again (ranking.js);
//   'quizzes-loaded': the quiz list is new, refill the create form's source (create.js);
//   'published' (quiz id): a draft is published, stop editing it (create.js).
import { el } from '../../lib/dom.js';
import { dateTime } from '../../lib/format.js';
import { can } from '../../lib/session.js';

export var state = {
  me: null,
  units: {},        // id → unit
  scopeUnits: [],   // [{unit, depth}] the staff's subtree, in tree order
  quizzes: [],      // every quiz the staff user may see
  contest: null,    // the chosen contest
  round: null,      // the chosen round
  final: false,     // the chosen round's results are frozen
  shown: 0,         // ranking lines shown
  cursor: '',       // next ranking page
  disqualified: {}, // attemptId → true, decided on this page
  kept: {},         // attemptId → {by, at, reason}, kept on this page
  closeAllowedAt: '', // the chosen round's end plus the server's grace, from the ranking API
  skew: 0,          // the server's clock minus the device's, in ms, from the ranking API
  editing: '',      // the draft the create form saves into, once saved
  flags: null,      // the chosen round's flags as last loaded (null: not loaded)
  seq: 0,           // bumps on every change of contest or round: late answers are dropped
  imported: []      // questions copied into the create form
};

// canManage: admins and organisers manage contests; officers only look.
export function canManage() { return can(state.me, 'run-contest'); }

export function unitName(id) { return state.units[id] ? state.units[id].name : (id || ''); }

// contests are the quizzes that are contests.
export function contests() { return state.quizzes.filter(function (q) { return q.kind === 'contest' && q.contest; }); }

export function quizById(id) { return state.quizzes.filter(function (q) { return q.id === id; })[0] || null; }

// roundPath is the staff API path of the chosen round.
export function roundPath() {
  return '/v1/admin/contests/' + enc(state.contest.id) + '/rounds/' + enc(state.round.id);
}

export function enc(s) { return encodeURIComponent(s); }
export function td(cls, text) { return el('td', cls, text); }
// when: a time as "HH:MM DD/MM/YYYY", "—" for none.
export function when(iso) { return dateTime(iso) || '—'; }

// serverNow is the server's clock as last seen by the ranking API, in ms: the countdown
// and the round's state follow it, not the device's clock.
export function serverNow() { return Date.now() + state.skew; }

// sortedRounds: a contest's rounds by opening time, as the server numbers them.
export function sortedRounds(q) {
  return ((q && q.contest && q.contest.rounds) || []).slice().sort(function (a, b) { return Date.parse(a.opensAt) - Date.parse(b.opensAt); });
}

// roundName is what people read for a round: its name, else "Vòng <position>" as the
// server names it; never its id.
export function roundName(q, r) {
  if (!r) return '';
  if (r.name && r.name.trim()) return r.name.trim();
  var i = sortedRounds(q).map(function (x) { return x.id; }).indexOf(r.id);
  return 'Vòng ' + (i + 1);
}
