// What the contest page's panels share: the signed-in user, the unit tree, the quizzes,
// the chosen contest and round, and small helpers.
import { el } from '../../lib/dom.js';
import { dateTime } from '../../lib/format.js';
import { hasRole } from '../../lib/session.js';

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
  seq: 0,           // bumps on every change of contest or round: late answers are dropped
  imported: []      // questions copied into the create form
};

// canManage: admins and organisers manage contests; officers only look.
export function canManage() { return hasRole(state.me, ['admin', 'organizer']); }

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
