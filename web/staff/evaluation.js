// The evaluation panels: the change from a base quiz (GET /v1/reports/change), the
// methods note under the awareness table ("Cách tính", GET /v1/reports/methods, the text
// of the annual workbook's sheet) and the sample-size helper (GET /v1/reports/sample-size,
// computed on the server by report.SampleSize).
import { $, el } from '../lib/dom.js';
import { api } from '../lib/api.js';
import { int, pct, ciText, signed, fixed1 } from '../lib/format.js';
import { state, qs } from './state.js';
import { load, setStatus } from './sections.js';
import { cell, TOO_FEW } from './tables.js';

// points: a difference in percentage points with its sign, "+20,0 điểm %".
function points(x) { return x == null ? '—' : signed(x, fixed1) + ' điểm %'; }

// CLEAR marks a change whose 95 % interval excludes 0.
var CLEAR = 'rõ rệt';

function changeRow(r, isTotal, sealed) {
  var tr = document.createElement('tr');
  if (isTotal) tr.className = 'total';
  else tr.setAttribute('data-key', r.key);
  cell(tr, 'th', 'label', isTotal ? 'Tổng: ' + r.label + ' (theo dân số)' : r.label);
  cell(tr, 'td', 'num participants', int(r.participants) + ' / ' + int(r.baseParticipants));
  if (sealed || r.suppressed) {
    var why = cell(tr, 'td', 'pass too-few', sealed ? 'Ẩn đến khi đóng vòng' : TOO_FEW);
    why.colSpan = 4;
    return tr;
  }
  cell(tr, 'td', 'num pass', pct(r.passRate));
  cell(tr, 'td', 'num base', pct(r.basePassRate));
  var d = cell(tr, 'td', 'num difference', points(r.difference));
  if (r.clear) {
    d.classList.add('clear');
    d.appendChild(document.createTextNode(' (' + CLEAR + ')'));
  }
  cell(tr, 'td', 'num ci', r.differenceCi95 ? ciText(r.differenceCi95) + ' điểm %' : '—');
  return tr;
}

// renderChange draws GET /v1/reports/change.
export function renderChange(data) {
  var table = $('change-table');
  var tbody = table.tBodies[0], tfoot = table.tFoot;
  tbody.textContent = '';
  tfoot.textContent = '';
  (data.rows || []).forEach(function (r) { tbody.appendChild(changeRow(r, false, data.sealed)); });
  tfoot.appendChild(changeRow(data.total, true, data.sealed));
  table.setAttribute('data-query', qs({ quizId: data.quizId, baseQuizId: data.baseQuizId, unitId: data.unitId }));
}

// current is the quiz and unit the change compares, for the base picker's change.
var current = null;

// reloadChange fills the base picker with the other quizzes (not surveys) and loads the
// change against the chosen one, if any.
export function reloadChange(quiz, unitId) {
  current = { quiz: quiz, unitId: unitId };
  fillBases();
  loadChange();
}

// refreshChangeBases lists the bases again (the staff's full quiz list, closed rounds
// too, came in after the first table), reloading only if the chosen base is gone.
export function refreshChangeBases() {
  if (!current) return;
  var before = $('change-base').value;
  fillBases();
  if ($('change-base').value !== before) loadChange();
}

function fillBases() {
  var quiz = current.quiz;
  var sel = $('change-base');
  var before = sel.value;
  sel.textContent = '';
  var none = el('option', null, '— Chọn bài để so sánh —');
  none.value = '';
  sel.appendChild(none);
  state.quizzes.filter(function (q) { return q.kind !== 'survey' && q.id !== quiz.id; }).forEach(function (q) {
    var o = el('option', null, q.title);
    o.value = q.id;
    sel.appendChild(o);
  });
  sel.value = before;
  if (sel.value !== before) sel.value = '';
}

function loadChange() {
  var base = $('change-base').value;
  var table = $('change-table');
  if (!current || !base) {
    table.tBodies[0].textContent = '';
    table.tFoot.textContent = '';
    delete state.last.change;
    setStatus('change', 'Chọn một bài trước đó (ví dụ vòng năm trước) để xem thay đổi.');
    return;
  }
  load('change', '/v1/reports/change', { quizId: current.quiz.id, baseQuizId: base, unitId: current.unitId }, renderChange);
}
$('change-base').addEventListener('change', loadChange);

// methodsLoaded: the note is the same for everyone and every report, read once.
var methodsLoaded = null;

// loadMethods fills "Cách tính" with the methods note.
export function loadMethods() {
  if (methodsLoaded) return methodsLoaded;
  methodsLoaded = api('GET', '/v1/reports/methods').then(function (data) {
    var tbody = $('methods-table').tBodies[0];
    tbody.textContent = '';
    (data.rows || []).forEach(function (r) {
      var tr = document.createElement('tr');
      cell(tr, 'th', 'figure', r.figure);
      cell(tr, 'td', 'meaning', r.meaning);
      cell(tr, 'td', 'method', r.method);
      tbody.appendChild(tr);
    });
    setStatus('methods', '');
  }).catch(function (err) {
    methodsLoaded = null;
    if (!err.silent) setStatus('methods', err.message, true);
  });
  return methodsLoaded;
}

// renderSampleSizes draws GET /v1/reports/sample-size.
function renderSampleSizes(data) {
  var table = $('sample-size-table');
  var tbody = table.tBodies[0], tfoot = table.tFoot;
  tbody.textContent = '';
  tfoot.textContent = '';
  data.rows.forEach(function (r) {
    var tr = document.createElement('tr');
    tr.setAttribute('data-key', r.key);
    cell(tr, 'th', 'label', r.label);
    cell(tr, 'td', 'num population', r.population ? int(r.population) : 'chưa có dân số');
    cell(tr, 'td', 'num draw', r.draw == null ? '—' : int(r.draw));
    tbody.appendChild(tr);
  });
  var tr = document.createElement('tr');
  tr.className = 'total';
  cell(tr, 'th', 'label', 'Tổng');
  cell(tr, 'td', 'num population', int(data.population));
  cell(tr, 'td', 'num draw', int(data.total));
  tfoot.appendChild(tr);
  table.setAttribute('data-margin', String(data.marginOfError));
  var note = 'Sai số ±' + fixed1(data.marginOfError) + ' điểm %: rút ' + int(data.total) + ' trong ' + int(data.population) + ' người.';
  if (data.unknown) note += ' ' + int(data.unknown) + ' thôn chưa có dân số nên chưa tính được.';
  setStatus('sample-size', note);
}

// loadSampleSizes asks the server for the draws of the chosen unit at the margin typed.
export function loadSampleSizes() {
  var unit = $('unit').value;
  if (!unit) return;
  load('sample-size', '/v1/reports/sample-size', { unitId: unit, marginOfError: $('sample-margin').value.trim() }, renderSampleSizes);
}
$('sample-size-form').addEventListener('submit', function (ev) {
  ev.preventDefault();
  loadSampleSizes();
});
