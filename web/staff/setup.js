// Setup panel (admins): import the unit tree from a CSV or XLSX file (POST
// /v1/admin/imports/units), with a template to start from and the refused rows listed;
// and, on an empty deployment, the first steps in place of the empty reports.
import { $, showMsg } from '../lib/dom.js';
import { sendFile, saveBlob } from '../lib/api.js';
import { can } from '../lib/session.js';
import { buildUnits } from '../lib/units.js';
import { state, announce, CHANGED } from './state.js';
import { csvText, contentTypeOf, showRowErrors } from './upload.js';

// UNIT_COLUMNS are the columns the unit import reads (internal/authoring unitColumns).
var UNIT_COLUMNS = ['id', 'parentId', 'name', 'kind', 'population', 'households'];

// fillSetup shows the panel to admins and decides whether the first steps are shown:
// on an empty deployment (the tree is the admin's unit alone, no quiz at all).
export function fillSetup() {
  var manages = can(state.me, 'manage-staff');
  $('setup').hidden = !manages;
  if (!manages) return;
  var root = state.units[state.me.scopeUnitId];
  $('units-root').textContent = root ? root.name : state.me.scopeUnitId;
  if (Object.keys(state.units).length <= 1 && !state.allQuizzes.length) state.firstSteps = true;
  renderFirstSteps();
}

// renderFirstSteps ticks the steps done: units under the admin's own, another staff
// account, a published quiz or survey. Once every step is done, the reports take over.
function renderFirstSteps() {
  var box = $('first-steps');
  if (!state.firstSteps || !state.me) {
    box.hidden = true;
    return;
  }
  var others = (state.staff || []).filter(function (m) { return m.username !== state.me.username; });
  var steps = [
    ['step-units', state.scopeUnits.length > 1],
    ['step-staff', others.length > 0],
    ['step-quiz', state.allQuizzes.some(function (q) { return q.status === 'published'; })]
  ];
  steps.forEach(function (s) {
    var li = $(s[0]);
    li.classList.toggle('done', s[1]);
    li.querySelector('.step-state').textContent = s[1] ? '✓ Đã xong' : 'Chưa làm';
  });
  var all = steps.every(function (s) { return s[1]; });
  box.hidden = all;
  // The quiz note would repeat that nothing is published yet.
  if (!all) $('quiz-note').hidden = true;
}

// A step takes the focus to the first field of its form.
$('first-steps').addEventListener('click', function (ev) {
  var b = ev.target && ev.target.closest ? ev.target.closest('button[data-goto]') : null;
  var to = b ? $(b.dataset.goto) : null;
  if (!to) return;
  to.scrollIntoView({ block: 'center' });
  to.focus();
});

[CHANGED.units, CHANGED.quizzes, CHANGED.staff].forEach(function (ev) {
  document.addEventListener(ev, renderFirstSteps);
});

$('units-template').addEventListener('click', function () {
  var parent = state.me ? state.me.scopeUnitId : 'ma-xa';
  var rows = [UNIT_COLUMNS,
    ['thon-1', parent, 'Thôn 1', 'village', 850, 210],
    ['thon-2', parent, 'Thôn 2', 'village', 640, 160]];
  saveBlob(new Blob([csvText(rows)], { type: 'text/csv;charset=utf-8' }), 'mau-danh-sach-don-vi.csv');
});

// useUnits takes the tree the import answered (GET /v1/units is cached by the public
// function for a minute, so it would still lack the new units) and tells the panels.
function useUnits(list) {
  var b = buildUnits(list, state.me.scopeUnitId);
  state.units = b.units;
  state.scopeUnits = b.scopeUnits;
  announce('units');
}

$('units-form').addEventListener('submit', function (ev) {
  ev.preventDefault();
  var file = $('units-file').files[0];
  showRowErrors($('units-errors'), []);
  if (!file) {
    showMsg($('units-status'), 'Vui lòng chọn tệp danh sách đơn vị.', true);
    $('units-file').focus();
    return;
  }
  var btn = $('units-upload');
  if (btn.disabled) return;
  btn.disabled = true;
  showMsg($('units-status'), 'Đang nhập…');
  file.arrayBuffer().then(function (buf) {
    return sendFile('/v1/admin/imports/units', buf, contentTypeOf(file));
  }).then(function (r) {
    var data = r.data || {};
    if (r.status === 200) {
      showMsg($('units-status'), 'Đã nhập ' + (data.imported || 0) + ' đơn vị.');
      $('units-form').reset();
      if (data.units) useUnits(data.units);
      return null;
    }
    var msg = data.error && data.error.message ? data.error.message : 'Không nhập được tệp (mã ' + r.status + ').';
    showMsg($('units-status'), msg + (data.rows && data.rows.length ? '. Chưa nhập đơn vị nào; sửa các dòng dưới đây rồi nhập lại.' : ''), true);
    showRowErrors($('units-errors'), data.rows);
    return null;
  }).catch(function (err) {
    if (!err.silent) showMsg($('units-status'), err.message, true);
  }).then(function () { btn.disabled = false; });
});
