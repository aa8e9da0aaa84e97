// The participant form on the start screen (contest rules and fields when a contest is
// chosen) and the start of an attempt.
import { $, showError, fieldError, clearFieldErrors, busy } from '../lib/dom.js';
import { fetchJSON, errorMessage, NET_MSG } from '../lib/api.js';
import { on } from '../lib/events.js';
import { S, saveAtt, clientId, clientToken, saveClientToken } from './state.js';
import { screens } from './screens.js';
import { chosenLeaf } from './units.js';
import { selectedQuiz } from './start.js';
import { applyVerify, askToVerify, forgetToken, needsVerification, phoneToken } from './verify.js';

function isContest(q) { return !!q && q.kind === 'contest'; }

// applyKind shows the contest rules and fields (name and phone required, CCCD) when a
// contest is chosen, and the plain form otherwise.
export function applyKind(q) {
  var contest = isContest(q);
  $('contest-rules').hidden = !contest;
  $('contest-description').textContent = contest && q.description ? q.description : '';
  $('contest-description').hidden = !(contest && q.description);
  $('cccd-field').hidden = !contest;
  // /v1/quizzes says verifyPhone false on a contest its organiser confirmed runs without.
  $('contest-unverified').hidden = !(contest && q.verifyPhone === false);
  $('consent-cccd').hidden = !contest;
  ['name', 'phone'].forEach(function (id) {
    var inp = $(id);
    inp.required = contest;
    if (contest) inp.setAttribute('aria-required', 'true'); else inp.removeAttribute('aria-required');
    $(id + '-opt').textContent = contest ? '(bắt buộc)' : '(không bắt buộc)';
    $(id + '-opt').className = contest ? 'opt req' : 'opt';
  });
  $('consent-help').textContent = contest
    ? 'Bắt buộc đánh dấu để dự thi.'
    : 'Bắt buộc đánh dấu nếu bạn nhập họ tên hoặc số điện thoại.';
  $('start').textContent = contest ? 'Bắt đầu dự thi' : 'Bắt đầu';
  // A contest needs them: open, under their own title. Elsewhere they stay a tap away,
  // which keeps the start button on the first screen.
  if (contest) $('more-info').open = true;
  $('more-info-title').textContent = contest ? 'Thông tin người dự thi' : 'Thông tin khác';
  $('more-info-opt').hidden = contest;
  clearStartError();
  applyVerify(q);
}
on('quiz-chosen', applyKind);

// A field's message goes once the resident changes that field.
['input', 'change'].forEach(function (type) {
  $('form').addEventListener(type, function (ev) {
    if (ev.target && ev.target.getAttribute && ev.target.getAttribute('aria-invalid') === 'true') fieldError(ev.target, '');
  });
});

$('organization').addEventListener('change', function () {
  $('org-other-field').hidden = this.value !== 'Khác';
});

function readParticipant() {
  var p = {};
  var name = $('name').value.trim();
  var phone = $('phone').value.trim();
  var by = $('birth-year').value.trim();
  var g = $('gender').value;
  var org = $('organization').value;
  if (org === 'Khác' && $('organization-other').value.trim()) org = $('organization-other').value.trim();
  if (name) p.name = name;
  if (phone) p.phone = phone;
  var leaf = chosenLeaf();
  if (leaf) p.unitId = leaf.id;
  if (by) {
    var n = parseInt(by, 10);
    if (!/^\d{4}$/.test(by) || n < 1900 || n > new Date().getFullYear()) return { error: 'Năm sinh không hợp lệ (ví dụ: 1980).', field: 'birth-year' };
    p.birthYear = n;
  }
  if (g) p.gender = g;
  if (org) p.organization = org;
  // Without consent the server keeps only the village and the answers: say so before
  // sending rather than lose what was typed.
  if ((p.birthYear || p.gender) && !$('consent').checked) {
    return { error: 'Năm sinh và giới tính chỉ được gửi khi bạn đánh dấu đồng ý ở dưới; nếu không muốn, hãy để trống.', field: by ? 'birth-year' : 'gender' };
  }
  if (isContest(selectedQuiz())) {
    if (!name) return { error: 'Cuộc thi cần họ và tên của người dự thi.', field: 'name' };
    if (!phone) return { error: 'Cuộc thi cần số điện thoại của người dự thi.', field: 'phone' };
    var cccd = $('cccd').value.replace(/[\s.-]/g, '');
    if (cccd) {
      if (!/^\d{12}$/.test(cccd)) return { error: 'Số CCCD phải gồm đúng 12 chữ số.', field: 'cccd' };
      p.cccd = cccd;
    }
    if (needsVerification(selectedQuiz())) {
      var token = phoneToken(selectedQuiz().id);
      if (!token) return { error: 'Hãy xác minh số điện thoại: bấm “Gửi mã” và nhập mã nhận được qua tin nhắn.', verify: true };
      p.phoneToken = token;
    }
  }
  return { participant: p };
}

$('form').addEventListener('submit', function (ev) {
  ev.preventDefault();
  startAttempt();
});

var starting = false;

// startError shows why the start failed where the resident is looking: next to the field
// to fix (focused, and scrolled to the middle of the screen) and in the announced box
// right above the button; without a field the box itself takes the focus.
function startError(msg, field) {
  showError('');
  var box = $('start-error');
  box.textContent = msg;
  box.hidden = !msg;
  if (!msg) return;
  if (field) {
    var d = field.closest('details');
    if (d) d.open = true;
    fieldError(field, msg);
    field.focus({ preventScroll: true });
    if (field.scrollIntoView) field.scrollIntoView({ block: 'center' });
  } else {
    box.focus({ preventScroll: true });
    if (box.scrollIntoView) box.scrollIntoView({ block: 'center' });
  }
}

// clearStartError hides the start's error messages.
export function clearStartError() {
  $('start-error').textContent = '';
  $('start-error').hidden = true;
  clearFieldErrors($('form'));
}

function startAttempt() {
  if (starting) return;
  clearStartError();
  showError('');
  var quiz = selectedQuiz();
  if (!quiz) {
    startError('Vui lòng chọn một bài ở danh sách phía trên.');
    $('quiz-list').scrollIntoView();
    return;
  }
  if (!chosenLeaf()) {
    var sels = document.querySelectorAll('select.unit-select');
    var empty = null;
    for (var i = 0; i < sels.length; i++) if (!sels[i].value) { empty = sels[i]; break; }
    startError('Vui lòng chọn thôn/đơn vị nơi bạn sinh sống.', empty || sels[sels.length - 1]);
    return;
  }
  var r = readParticipant();
  if (r.verify) { askToVerify(r.error); return; }
  if (r.error) { startError(r.error, $(r.field)); return; }
  var consent = $('consent').checked;
  if (isContest(quiz) && !consent) {
    startError('Vui lòng đánh dấu ô đồng ý cung cấp thông tin để dự thi.', $('consent'));
    return;
  }
  if ((r.participant.name || r.participant.phone) && !consent) {
    startError('Vui lòng đánh dấu ô đồng ý nếu bạn nhập họ tên hoặc số điện thoại.', $('consent'));
    return;
  }
  starting = true;
  var restore = busy($('start'), 'Đang bắt đầu…');
  var done = function () { starting = false; restore(); };
  fetchJSON('POST', '/v1/quizzes/' + encodeURIComponent(quiz.id) + '/attempts', {
    participant: r.participant, consent: consent, clientId: clientId(), clientToken: clientToken()
  }).then(function (res) {
    done();
    if (res.status !== 200 && res.status !== 201) {
      if (res.data && res.data.error && res.data.error.code === 'phone_unverified') {
        forgetToken(quiz.id);
        askToVerify(errorMessage(res));
        return;
      }
      startError(errorMessage(res));
      return;
    }
    var d = res.data || {};
    if (d.clientToken) saveClientToken(d.clientToken);
    var now = Date.now();
    var deadline = 0;
    if (quiz.timeLimitSec > 0 && d.expiresAt) {
      // Deadline on the local clock, robust to device clock skew.
      var span = Date.parse(d.expiresAt) - Date.parse(d.startedAt);
      deadline = isNaN(span) ? Date.parse(d.expiresAt) : now + span;
    }
    S.att = {
      attemptId: d.attemptId, attemptToken: d.attemptToken,
      quizId: quiz.id, quizKind: quiz.kind, quizTitle: quiz.title,
      deadline: deadline, questions: d.questions || [], answers: {}, index: 0, pending: false
    };
    if (isContest(quiz)) S.att.prediction = '';
    saveAtt();
    resetForm();
    // The attempt is saved: if the questions' module cannot be loaded now, a reload
    // resumes it.
    return screens().then(function (m) { m.quiz.openQuestions(); }, function () { startError(NET_MSG); });
  }, function () { done(); startError(NET_MSG); });
}

function resetForm() {
  ['name', 'phone', 'cccd', 'birth-year', 'organization-other'].forEach(function (id) { $(id).value = ''; });
  $('gender').value = '';
  $('organization').value = '';
  $('org-other-field').hidden = true;
  $('consent').checked = false;
}
