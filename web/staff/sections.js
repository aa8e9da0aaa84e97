// Loading the dashboard's sections: each has a status line ([data-status-for]) and
// ignores answers overtaken by a newer request.
import { $ } from '../lib/dom.js';
import { api } from '../lib/api.js';
import { state, qs } from './state.js';

var seq = { awareness: 0, topics: 0, questions: 0, trend: 0, survey: 0, activities: 0, change: 0, 'sample-size': 0 };

// dropPending makes every answer still on its way be ignored (at sign-out).
export function dropPending() { Object.keys(seq).forEach(function (k) { seq[k]++; }); }

// setReportsVisible shows the quiz reports (awareness, topics, questions, trend, change) or the survey.
export function setReportsVisible(awareness, survey) {
  ['awareness', 'topics', 'questions', 'trend', 'change'].forEach(function (id) { $(id).hidden = !awareness; });
  $('survey').hidden = !survey;
}

// setStatus shows a section's status line (an alert when isError).
export function setStatus(section, msg, isError) {
  var p = document.querySelector('[data-status-for="' + section + '"]');
  if (!p) return;
  p.textContent = msg || '';
  p.className = 'status' + (isError ? ' error' : '');
  p.setAttribute('role', isError ? 'alert' : 'status');
  var sec = $(section);
  if (sec) sec.setAttribute('aria-busy', msg === 'Đang tải…' ? 'true' : 'false');
}

// load runs one section's request, ignoring answers overtaken by a newer request.
export function load(section, path, params, render) {
  var my = ++seq[section];
  state.last[section] = { path: path, params: params };
  setStatus(section, 'Đang tải…');
  return api('GET', path + '?' + qs(params)).then(function (data) {
    if (my !== seq[section]) return;
    // A sealed report (a contest whose key is still secret) says why its figures are hidden.
    setStatus(section, data && data.sealed ? data.sealedNote : '');
    render(data, qs(params));
  }).catch(function (err) {
    if (my !== seq[section] || err.silent) return;
    setStatus(section, err.message, true);
  });
}
