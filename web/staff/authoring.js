// Quizzes and surveys panel (admins and officers, who author them: internal/auth
// policy): the staff's quizzes and surveys with their status; a new one made from a
// question file (read by POST /v1/admin/imports/questions, then saved as a draft by
// POST /v1/admin/quizzes); publishing and closing, each confirmed first.
import { $, el, showMsg } from '../lib/dom.js';
import { api, sendFile, saveBlob } from '../lib/api.js';
import { can } from '../lib/session.js';
import { unitOption } from '../lib/units.js';
import { dmy } from '../lib/format.js';
import { KIND_LABEL, QUIZ_STATUS_LABEL, QUESTION_KINDS } from '../lib/labels.js';
import { state, announce, CHANGED } from './state.js';
import { csvText, contentTypeOf, showRowErrors } from './upload.js';

// Vietnam keeps +07:00 all year: a day picked on the page runs from its 00:00 to 23:59:59 there.
var VN = '+07:00';

// canAuthor: who may write quizzes and surveys (contests are the organisers', on their page).
function canAuthor() { return can(state.me, 'author'); }

// fillAuthoring shows the panel to those who may author and lists their quizzes.
export function fillAuthoring() {
  $('authoring').hidden = !canAuthor();
  if (!canAuthor()) return;
  fillScope();
  resetDates();
  renderList();
}

function fillScope() {
  var sel = $('qc-scope');
  var prev = sel.value;
  sel.textContent = '';
  state.scopeUnits.forEach(function (e) { sel.appendChild(unitOption(e)); });
  sel.value = prev || state.me.scopeUnitId;
  if (!sel.value) sel.value = state.me.scopeUnitId;
}

document.addEventListener(CHANGED.units, function () {
  if (!$('authoring').hidden) fillScope();
});

// today is the date in Vietnam as YYYY-MM-DD.
function today() { return new Date(Date.now() + 7 * 3600000).toISOString().slice(0, 10); }

function resetDates() {
  var d = today();
  if (!$('qc-opens').value) $('qc-opens').value = d;
  if (!$('qc-closes').value) $('qc-closes').value = d.slice(0, 4) + '-12-31';
}

// authored are the quizzes and surveys listed here (contests have their own page).
function authored() { return state.allQuizzes.filter(function (q) { return q.kind !== 'contest'; }); }

function renderList() {
  var body = $('quiz-list').tBodies[0];
  body.textContent = '';
  var list = authored();
  list.forEach(function (q) {
    var tr = el('tr');
    tr.dataset.quizId = q.id;
    tr.appendChild(el('th', null, q.title)).scope = 'row';
    tr.appendChild(el('td', null, KIND_LABEL[q.kind] || q.kind));
    tr.appendChild(el('td', 'status-' + q.status, QUIZ_STATUS_LABEL[q.status] || q.status));
    var opens = dmy(q.opensAt), closes = dmy(q.closesAt);
    tr.appendChild(el('td', null, opens && closes ? opens + ' – ' + closes : opens ? 'từ ' + opens : closes ? 'đến ' + closes : 'không giới hạn'));
    tr.appendChild(el('td', 'num', String((q.questions || []).length)));
    var td = el('td', 'actions');
    // Buttons only where the staff may write (the API decides again).
    var mine = q.scopeUnitId ? inSubtree(q.scopeUnitId) : !!state.scopeUnits[0] && !state.scopeUnits[0].unit.parentId;
    if (mine && q.status === 'draft') td.appendChild(actionButton('Công bố', 'publish', q.id, true));
    if (mine && q.status === 'published') td.appendChild(actionButton('Đóng bài', 'close', q.id, false));
    tr.appendChild(td);
    body.appendChild(tr);
  });
  if (!list.length) {
    var tr = el('tr');
    var td = el('td', 'empty', 'Chưa có bài trắc nghiệm hay khảo sát nào. Tạo bài đầu tiên bằng biểu mẫu dưới đây.');
    td.colSpan = 6;
    tr.appendChild(td);
    body.appendChild(tr);
  }
}

// inSubtree: whether a unit lies in the staff's own subtree (where they may write).
function inSubtree(id) {
  return state.scopeUnits.some(function (e) { return e.unit.id === id; });
}

function actionButton(label, action, id, primary) {
  var b = el('button', 'btn small' + (primary ? ' primary' : ''), label);
  b.type = 'button';
  b.dataset.action = action;
  b.dataset.quizId = id;
  return b;
}

// reloadQuizzes reads the staff's quizzes again, lists them and tells the other panels.
function reloadQuizzes() {
  return api('GET', '/v1/admin/quizzes').then(function (data) {
    state.allQuizzes = data.quizzes || [];
    renderList();
    announce('quizzes');
  });
}

// ---- confirmation dialog

var pending = null; // resolves the open confirmation

function closeConfirm(ok) {
  var dlg = $('quiz-confirm');
  if (dlg.open) dlg.close();
  if (pending) { var p = pending; pending = null; p(ok); }
}

// confirmAction asks before an action that cannot be undone; resolves true on OK.
function confirmAction(title, text, items, okLabel) {
  closeConfirm(false);
  $('quiz-confirm-title').textContent = title;
  $('quiz-confirm-text').textContent = text;
  var ul = $('quiz-confirm-list');
  ul.textContent = '';
  items.forEach(function (x) { ul.appendChild(el('li', null, x)); });
  $('quiz-confirm-ok').textContent = okLabel;
  return new Promise(function (resolve) {
    pending = resolve;
    $('quiz-confirm').showModal();
  });
}

$('quiz-confirm-ok').addEventListener('click', function () { closeConfirm(true); });
$('quiz-confirm-cancel').addEventListener('click', function () { closeConfirm(false); });
$('quiz-confirm').addEventListener('cancel', function (ev) { ev.preventDefault(); closeConfirm(false); }); // Escape

// ---- publish and close

function quizOf(id) { return state.allQuizzes.filter(function (q) { return q.id === id; })[0] || null; }

$('quiz-list').addEventListener('click', function (ev) {
  var b = ev.target && ev.target.closest ? ev.target.closest('button[data-action]') : null;
  if (!b) return;
  var q = quizOf(b.dataset.quizId);
  if (!q) return;
  var publish = b.dataset.action === 'publish';
  var what = q.kind === 'survey' ? 'khảo sát' : 'bài thi';
  var opens = dmy(q.opensAt);
  var ask = publish ?
    confirmAction('Công bố «' + q.title + '»?',
      'Người dân ' + (opens ? 'làm được ' + what + ' từ ngày ' + opens : 'làm được ' + what + ' ngay') +
      '. Sau khi công bố, những điều sau không sửa được nữa:',
      ['các câu hỏi, lựa chọn và điểm của từng câu (chỉ còn đính chính được đáp án đúng)',
        'loại bài, mức đạt và thời gian làm bài',
        'phạm vi đơn vị và thời gian mở, đóng (chỉ đóng sớm được)'],
      'Công bố') :
    confirmAction('Đóng «' + q.title + '»?',
      'Người dân sẽ không làm được ' + what + ' này nữa. Kết quả đã có vẫn được giữ và vẫn xem được trong báo cáo. Không mở lại được.',
      [], 'Đóng bài');
  ask.then(function (ok) {
    if (!ok) return null;
    b.disabled = true;
    return api('POST', '/v1/admin/quizzes/' + encodeURIComponent(q.id) + (publish ? '/publish' : '/close')).then(function () {
      showMsg($('qa-status'), (publish ? 'Đã công bố «' : 'Đã đóng «') + q.title + '».');
      return reloadQuizzes();
    });
  }).catch(function (err) {
    b.disabled = false;
    if (!err.silent) showMsg($('qa-status'), err.message, true);
  });
});

// ---- a new quiz or survey from a question file

// The file's kind column takes the question kinds' names: "single (một đáp án), …".
$('qc-kinds').textContent = QUESTION_KINDS.map(function (k) { return k.kind + ' (' + k.label.toLowerCase() + ')'; }).join(', ');

function syncKind() {
  $('qc-pass-field').hidden = $('qc-kind').value === 'survey';
}
$('qc-kind').addEventListener('change', syncKind);

$('qc-template').addEventListener('click', function () {
  var survey = $('qc-kind').value === 'survey';
  var rows = survey ? [
    ['kind', 'text', 'option1', 'option2', 'option3', 'option4'],
    ['single', 'Bạn biết đến Nghị quyết 58-NQ/TW qua kênh nào nhiều nhất?', 'Loa truyền thanh', 'Họp thôn, bản', 'Mạng xã hội', 'Báo, truyền hình'],
    ['likert', 'Tôi hiểu rõ mục tiêu của Nghị quyết 58-NQ/TW đối với tỉnh.', '', '', '', ''],
    ['text', 'Bạn có góp ý gì cho việc tuyên truyền ở thôn, bản?', '', '', '', '']
  ] : [
    ['kind', 'text', 'topic', 'points', 'option1', 'option2', 'option3', 'option4', 'correct'],
    ['single', 'Nghị quyết 58-NQ/TW của Bộ Chính trị về xây dựng và phát triển tỉnh Thanh Hóa được ban hành năm nào?', 'a', 1, '2018', '2020', '2022', '2024', 2],
    ['truefalse', 'Nghị quyết 58-NQ/TW đặt mục tiêu đến năm 2030 Thanh Hóa trở thành tỉnh khá của cả nước.', 'a', 1, '', '', '', '', 'Đúng'],
    ['multiple', 'Những di tích nào sau đây ở tỉnh Thanh Hóa?', 'g', 2, 'Thành Nhà Hồ', 'Văn Miếu', 'Khu di tích Lam Kinh', 'Hoàng thành Huế', '1,3']
  ];
  saveBlob(new Blob([csvText(rows)], { type: 'text/csv;charset=utf-8' }), survey ? 'mau-cau-hoi-khao-sat.csv' : 'mau-cau-hoi-trac-nghiem.csv');
});

function fail(msg, field) {
  showMsg($('qc-error'), msg);
  if (field) $(field).focus();
}

// readForm checks the form and returns the quiz's fields (without questions) or null.
function readForm() {
  var kind = $('qc-kind').value;
  var title = $('qc-title').value.trim();
  var opens = $('qc-opens').value, closes = $('qc-closes').value;
  if (!title) return fail('Vui lòng nhập tên bài.', 'qc-title');
  if (!opens) return fail('Vui lòng chọn ngày mở.', 'qc-opens');
  if (!closes) return fail('Vui lòng chọn ngày đóng.', 'qc-closes');
  if (closes < opens) return fail('Ngày đóng phải từ ngày mở trở đi.', 'qc-closes');
  var body = {
    kind: kind, title: title, description: $('qc-description').value.trim(),
    opensAt: opens + 'T00:00:00' + VN, closesAt: closes + 'T23:59:59' + VN,
    scopeUnitId: $('qc-scope').value, shuffle: true
  };
  if (kind !== 'survey') {
    var pass = Number($('qc-pass').value || 50);
    if (!(pass >= 1 && pass <= 100) || Math.floor(pass) !== pass) return fail('Mức đạt phải là số nguyên từ 1 đến 100.', 'qc-pass');
    body.passPercent = pass;
  }
  var limit = $('qc-limit').value.trim();
  if (limit) {
    var min = Number(limit);
    if (!(min >= 1 && min <= 600) || Math.floor(min) !== min) return fail('Thời gian làm bài phải là số phút từ 1 đến 600, hoặc để trống.', 'qc-limit');
    body.timeLimitSec = min * 60;
  }
  return body;
}

$('quiz-create').addEventListener('submit', function (ev) {
  ev.preventDefault();
  showMsg($('qc-error'), '');
  showMsg($('qc-done'), '');
  showRowErrors($('qc-errors'), []);
  var body = readForm();
  if (!body) return;
  var file = $('qc-file').files[0];
  if (!file) return fail('Vui lòng chọn tệp câu hỏi.', 'qc-file');
  var btn = $('qc-save');
  if (btn.disabled) return; // a save is on its way: a second would make a second draft
  btn.disabled = true;
  file.arrayBuffer().then(function (buf) {
    return sendFile('/v1/admin/imports/questions?kind=' + encodeURIComponent(body.kind), buf, contentTypeOf(file));
  }).then(function (r) {
    var data = r.data || {};
    if (r.status !== 200) {
      var msg = data.error && data.error.message ? data.error.message : 'Không đọc được tệp câu hỏi (mã ' + r.status + ').';
      fail(msg + (data.rows && data.rows.length ? '. Chưa lưu gì; sửa các dòng dưới đây rồi thử lại.' : ''));
      showRowErrors($('qc-errors'), data.rows);
      return null;
    }
    body.questions = data.questions || [];
    return api('POST', '/v1/admin/quizzes', body).then(function () { // answers its id and status
      showMsg($('qc-done'), 'Đã lưu bản nháp «' + body.title + '» với ' + body.questions.length +
        ' câu hỏi. Kiểm tra trong danh sách rồi bấm «Công bố» để mở cho người dân.');
      $('quiz-create').reset();
      syncKind();
      resetDates();
      fillScope();
      return reloadQuizzes();
    });
  }).catch(function (err) {
    if (!err.silent) fail(err.message);
  }).then(function () { btn.disabled = false; });
});
