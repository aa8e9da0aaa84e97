// The dashboard's filters (unit, quiz, months, grouping), kept in sessionStorage, and
// reloading every section when they change.
import { $, el, showMsg, showError } from '../lib/dom.js';
import { dmy, int } from '../lib/format.js';
import { KIND_LABEL, QUIZ_STATUS_LABEL } from '../lib/labels.js';
import { unitOption } from '../lib/units.js';
import { state, quizById, CHANGED } from './state.js';
import { load, setReportsVisible, setStatus } from './sections.js';
import { GROUP_HEADING, renderAwareness } from './awareness.js';
import { filters } from './filterform.js';

// laterPanels loads the panels below the first table (later.js) once.
var later = null;
export function laterPanels() { return later || (later = import('./later.js')); }

// firstTable settles when the latest awareness table asked for is in (or failed);
// afterFirstTable(fn) calls fn with later.js's panels after it, so that nothing else
// shares the line with the first table.
var firstTable = Promise.resolve();
export function afterFirstTable(fn) {
  return firstTable.then(laterPanels).then(fn);
}

var KEY_FILTERS = 'nq58.staff.filters';

// fillUnitPickers lists the staff's units in the filter and the activity form.
export function fillUnitPickers() {
  ['unit', 'activity-unit'].forEach(function (id) {
    var sel = $(id);
    sel.textContent = '';
    state.scopeUnits.forEach(function (e) { sel.appendChild(unitOption(e)); });
  });
  if (!state.scopeUnits.length) showError('Không tìm thấy đơn vị phụ trách của tài khoản (' + state.me.scopeUnitId + ').');
}

// fillQuizPicker lists the quizzes (then surveys), keeping the chosen one.
export function fillQuizPicker() {
  var sel = $('quiz');
  var prev = sel.value || savedFilters().quiz;
  sel.textContent = '';
  var groups = [
    ['Bài trắc nghiệm, cuộc thi', function (q) { return q.kind !== 'survey'; }],
    ['Khảo sát', function (q) { return q.kind === 'survey'; }]
  ];
  groups.forEach(function (g) {
    var list = state.quizzes.filter(g[1]);
    if (!list.length) return;
    var og = document.createElement('optgroup');
    og.label = g[0];
    list.forEach(function (q) {
      var o = el('option', null, q.title + ' (' + (KIND_LABEL[q.kind] || q.kind) + ', ' + (QUIZ_STATUS_LABEL[q.status] || q.status) + ')');
      o.value = q.id;
      og.appendChild(o);
    });
    sel.appendChild(og);
  });
  if (!state.quizzes.length) {
    var none = el('option', null, '— Chưa có bài nào được công bố —');
    none.value = '';
    sel.appendChild(none);
  }
  if (prev && quizById(prev)) {
    sel.value = prev;
  } else {
    var first = mainQuiz(state.quizzes, new Date()) || state.quizzes[0];
    if (first) sel.value = first.id;
  }
}

// year is an RFC 3339 time's year, or null when unset (missing or Go's zero time).
function yearOf(iso) {
  var y = +(iso || '').slice(0, 4);
  return y >= 2000 ? y : null;
}

// mainQuiz is the quiz the dashboard opens on: the awareness quiz (kind "quiz", not a
// contest, whose villages mostly read "too few") of the current year, published before
// closed, the latest opened first; else any awareness quiz; else a contest.
export function mainQuiz(quizzes, now) {
  var year = now.getFullYear();
  function thisYear(q) {
    var from = yearOf(q.opensAt), to = yearOf(q.closesAt);
    return (from == null || from <= year) && (to == null || to >= year);
  }
  function rank(q) {
    return (q.kind === 'quiz' ? 0 : q.kind === 'contest' ? 4 : 8) + (thisYear(q) ? 0 : 2) + (q.status === 'published' ? 0 : 1);
  }
  var list = quizzes.filter(function (q) { return q.kind !== 'survey'; });
  list.sort(function (a, b) {
    return rank(a) - rank(b) || String(b.opensAt || '').localeCompare(String(a.opensAt || ''));
  });
  return list[0] || null;
}

// savedQuiz is the quiz chosen earlier in this tab, if any.
export function savedQuiz() { return savedFilters().quiz || ''; }

function savedFilters() {
  try { return JSON.parse(sessionStorage.getItem(KEY_FILTERS) || '{}') || {}; } catch (e) { return {}; }
}
function saveFilters(f) {
  try { sessionStorage.setItem(KEY_FILTERS, JSON.stringify(f)); } catch (e) { /* ignore */ }
}

// restoreFilters sets the filters as last chosen in this tab (this year by default).
export function restoreFilters() {
  var f = savedFilters();
  var year = new Date().getFullYear();
  $('unit').value = state.me.scopeUnitId;
  if (f.unit && state.scopeUnits.some(function (e) { return e.unit.id === f.unit; })) $('unit').value = f.unit;
  $('from').value = f.from || year + '-01';
  $('to').value = f.to || year + '-12';
  $('group-by').value = GROUP_HEADING[f.groupBy] ? f.groupBy : 'village';
  $('annual-year').value = year;
  $('activity-unit').value = $('unit').value;
}

// reloadAll loads every section for the filters.
export function reloadAll() {
  var f = filters();
  if (!f) return;
  saveFilters(f);
  var q = quizById(f.quiz);
  updateQuizNote(q);
  $('group-by').disabled = !q || q.kind === 'survey';
  firstTable = Promise.resolve();
  if (!q) {
    setReportsVisible(false, false);
  } else if (q.kind === 'survey') {
    setReportsVisible(false, true);
    laterPanels().then(function (p) {
      load('survey', '/v1/reports/survey', { quizId: q.id, unitId: f.unit, from: f.from, to: f.to }, p.renderSurvey);
    });
  } else {
    setReportsVisible(true, false);
    var base = { quizId: q.id, unitId: f.unit, from: f.from, to: f.to };
    // The awareness table first, alone: on a slow line the other sections' answers
    // would share its bandwidth and hold it back.
    firstTable = load('awareness', '/v1/reports/awareness', Object.assign({ groupBy: f.groupBy }, base), renderAwareness);
    ['topics', 'questions', 'trend'].forEach(function (s) { setStatus(s, 'Đang tải…'); });
    afterFirstTable(function (p) {
      load('topics', '/v1/reports/topics', base, p.renderTopics);
      load('questions', '/v1/reports/questions', { quizId: q.id }, p.renderQuestions);
      load('trend', '/v1/reports/trend', { quizId: q.id, unitId: f.unit, period: 'month' }, p.renderTrend);
      p.reloadChange(q, f.unit);
    });
  }
  afterFirstTable(function (p) {
    p.updateAnnualLinks();
    p.loadActivities();
    p.loadMethods();
    p.loadSampleSizes();
  });
}

// refreshQuizNote says again what the chosen quiz is (its details became known).
export function refreshQuizNote() { updateQuizNote(quizById($('quiz').value)); }

function updateQuizNote(q) {
  if (!q) {
    showMsg($('quiz-note'), state.quizzes.length ? '' : 'Chưa có bài thi, cuộc thi hay khảo sát nào được công bố trong phạm vi của bạn.');
    return;
  }
  var parts = [(KIND_LABEL[q.kind] || q.kind) + ' ' + (QUIZ_STATUS_LABEL[q.status] || q.status)];
  // Unset dates (Go's zero time) are left out rather than shown as 01/01/0001.
  var opens = dmy(q.opensAt), closes = dmy(q.closesAt);
  if (opens && closes) parts.push('mở từ ' + opens + ' đến ' + closes);
  else if (opens) parts.push('mở từ ' + opens);
  else if (closes) parts.push('đóng lúc ' + closes);
  if (q.passPercent && q.kind !== 'survey') parts.push('đạt khi từ ' + int(q.passPercent) + ' % điểm trở lên');
  showMsg($('quiz-note'), parts.join('; ') + '.');
}

var reloadTimer = null;
$('filters').addEventListener('change', function () {
  clearTimeout(reloadTimer);
  reloadTimer = setTimeout(reloadAll, 150);
});
$('filters').addEventListener('submit', function (ev) { ev.preventDefault(); reloadAll(); });
$('unit').addEventListener('change', function () { $('activity-unit').value = $('unit').value; });

// The setup panel imports units and the authoring panel publishes quizzes: the pickers
// follow, keeping what was chosen when it is still there.
document.addEventListener(CHANGED.units, function () {
  if (!state.me) return;
  var unit = $('unit').value, act = $('activity-unit').value;
  fillUnitPickers();
  $('unit').value = unit;
  if (!$('unit').value) $('unit').value = state.me.scopeUnitId;
  $('activity-unit').value = act;
  if (!$('activity-unit').value) $('activity-unit').value = $('unit').value;
});
document.addEventListener(CHANGED.quizzes, function () {
  if (!state.me) return;
  var before = $('quiz').value;
  state.quizzes = state.allQuizzes.filter(function (q) { return q.status === 'published' || q.status === 'closed'; });
  fillQuizPicker();
  if ($('quiz').value !== before) reloadAll();
  else refreshQuizNote();
});
