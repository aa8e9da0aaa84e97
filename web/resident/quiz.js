// The question screen: one question at a time (and a contest's prediction question
// last), the countdown, and the discard of a resumed attempt.
import { $, el, showError } from '../lib/dom.js';
import { mmss } from '../lib/format.js';
import { TOPIC_LABEL, LIKERT_LABELS, questionKind } from '../lib/labels.js';
import { emit } from '../lib/events.js';
import { S, saveAtt, dropAtt, show } from './state.js';

// The prediction question of contests (its text is not in the public quiz list).
var PREDICTION_TEXT = 'Dự đoán số bài dự thi của vòng này';
var MAX_PREDICTION = 100000000;

// openQuestions shows the attempt in progress at its current question.
export function openQuestions() {
  showError('');
  show('question');
  renderQuestion();
  startTimer();
}

// hasAnswer tells whether a stored answer says anything.
export function hasAnswer(a) {
  return !!a && ((a.optionIds && a.optionIds.length) || a.value || (a.text && a.text.trim()));
}

// A contest has one more step after its questions: the prediction question.
export function attContest() { return !!S.att && S.att.quizKind === 'contest'; }
function stepCount() { return S.att.questions.length + (attContest() ? 1 : 0); }

// setSubmitBusy shows the submit button as busy (disabled) or ready.
export function setSubmitBusy(busy) {
  var b = $('submit');
  b.disabled = busy;
  b.textContent = busy ? 'Đang nộp bài…' : 'Nộp bài';
}

function setNav(i, total) {
  var last = i === total - 1;
  $('prev').disabled = i === 0;
  $('next').hidden = last;
  $('submit').hidden = !last;
  setSubmitBusy(!!S.att.pending);
  if (S.att.timeUp && !S.att.pending) $('submit').disabled = false;
  updateUnanswered();
}

function renderPrediction() {
  var n = S.att.questions.length;
  $('progress').textContent = 'Câu hỏi dự đoán';
  $('bar-fill').style.width = '100%';
  $('question-topic').textContent = 'Bạn đã trả lời xong ' + n + ' câu hỏi trắc nghiệm';
  $('question-text').textContent = 'Một câu nữa trước khi nộp bài';
  var box = $('answer');
  box.innerHTML = '';
  box.removeAttribute('role');
  box.removeAttribute('aria-labelledby');
  box.hidden = true;
  $('prediction-text').textContent = PREDICTION_TEXT;
  var inp = $('prediction');
  inp.value = S.att.prediction != null ? S.att.prediction : '';
  inp.disabled = !!S.att.pending;
  $('prediction-box').hidden = false;
  setNav(n, n + 1);
  $('question-text').focus();
}

$('prediction').addEventListener('input', function () {
  if (!S.att) return;
  S.att.prediction = this.value;
  saveAtt();
  updateUnanswered();
});

// readPrediction returns the prediction as an integer, or null when it is not one.
export function readPrediction() {
  var v = String(S.att.prediction == null ? '' : S.att.prediction).trim();
  if (!/^\d{1,9}$/.test(v)) return null;
  var x = parseInt(v, 10);
  return x <= MAX_PREDICTION ? x : null;
}

// renderQuestion draws the attempt's current step.
export function renderQuestion() {
  var att = S.att;
  var qs = att.questions, n = qs.length;
  if (!n) { showError('Bài này chưa có câu hỏi.'); return; }
  var total = stepCount();
  var i = Math.max(0, Math.min(att.index || 0, total - 1));
  att.index = i;
  if (i === n) { renderPrediction(); return; }
  $('prediction-box').hidden = true;
  $('answer').hidden = false;
  var q = qs[i];
  var locked = att.pending || att.timeUp;
  $('progress').textContent = 'Câu ' + (i + 1) + '/' + n;
  $('bar-fill').style.width = Math.round((i + 1) * 100 / n) + '%';
  $('question-topic').textContent = q.topic ? 'Chủ đề: ' + (TOPIC_LABEL[q.topic] || q.topic) : '';
  $('question-text').textContent = q.text;
  var box = $('answer');
  box.innerHTML = '';
  var a = att.answers[q.id] || {};
  box.removeAttribute('role');
  box.removeAttribute('aria-labelledby');
  var kind = questionKind(q.kind);
  if (kind.answer === 'text') {
    var lab = el('label', null, 'Câu trả lời của bạn');
    lab.htmlFor = 'answer-text';
    lab.style.fontWeight = '600';
    var ta = el('textarea');
    ta.id = 'answer-text';
    ta.maxLength = 500;
    ta.rows = 5;
    ta.value = a.text || '';
    ta.disabled = !!locked;
    // Free text is kept with the answers: it is no place for personal details.
    var note = el('p', 'small', 'Xin đừng ghi họ tên, số điện thoại hay thông tin cá nhân vào đây.');
    note.id = 'answer-text-note';
    ta.setAttribute('aria-describedby', 'answer-text-note');
    var cnt = el('p', 'counter');
    cnt.id = 'answer-count';
    cnt.setAttribute('aria-live', 'polite');
    var upd = function () { cnt.textContent = ta.value.length + '/500 ký tự'; };
    upd();
    ta.addEventListener('input', function () {
      upd();
      if (ta.value) S.att.answers[q.id] = { text: ta.value }; else delete S.att.answers[q.id];
      saveAtt();
      updateUnanswered();
    });
    box.appendChild(lab);
    box.appendChild(note);
    box.appendChild(ta);
    box.appendChild(cnt);
  } else {
    var multi = !!kind.multiple;
    var opts = kind.answer === 'value'
      ? LIKERT_LABELS.map(function (t, k) { return { id: String(k + 1), text: (k + 1) + ' — ' + t }; })
      : (q.options || []);
    box.setAttribute('role', multi ? 'group' : 'radiogroup');
    box.setAttribute('aria-labelledby', 'question-text');
    if (multi) box.appendChild(el('p', 'small', 'Có thể chọn nhiều đáp án.'));
    opts.forEach(function (o) {
      var lab = el('label', 'ans');
      var inp = el('input');
      inp.type = multi ? 'checkbox' : 'radio';
      inp.name = 'opt';
      inp.value = o.id;
      inp.disabled = !!locked;
      if (kind.answer === 'value') inp.checked = a.value === +o.id;
      else inp.checked = !!(a.optionIds && a.optionIds.indexOf(o.id) >= 0);
      if (inp.checked) lab.className = 'ans sel';
      inp.addEventListener('change', function () { onChoice(q); });
      lab.appendChild(inp);
      lab.appendChild(el('span', null, o.text));
      box.appendChild(lab);
    });
  }
  setNav(i, total);
  $('question-text').focus();
}

function onChoice(q) {
  var inputs = $('answer').querySelectorAll('input[name="opt"]');
  var ids = [];
  for (var k = 0; k < inputs.length; k++) {
    inputs[k].parentNode.className = inputs[k].checked ? 'ans sel' : 'ans';
    if (inputs[k].checked) ids.push(inputs[k].value);
  }
  if (!ids.length) delete S.att.answers[q.id];
  else if (questionKind(q.kind).answer === 'value') S.att.answers[q.id] = { value: +ids[0] };
  else S.att.answers[q.id] = { optionIds: ids };
  saveAtt();
  updateUnanswered();
}

function updateUnanswered() {
  var att = S.att;
  var p = $('unanswered');
  if (att.index !== stepCount() - 1) { p.textContent = ''; return; }
  var left = att.questions.filter(function (q) { return !hasAnswer(att.answers[q.id]); }).length;
  var msg = left ? 'Bạn còn ' + left + ' câu chưa trả lời.' : '';
  if (attContest() && readPrediction() == null) msg += (msg ? ' ' : '') + 'Hãy nhập số dự đoán trước khi nộp bài.';
  p.textContent = msg;
}

function go(delta) {
  S.att.index += delta;
  saveAtt();
  renderQuestion();
}
$('prev').addEventListener('click', function () { if (S.att && S.att.index > 0) go(-1); });
$('next').addEventListener('click', function () { if (S.att && S.att.index < stepCount() - 1) go(1); });
$('submit').addEventListener('click', function () { emit('submit'); });

function startTimer() {
  clearInterval(S.tick);
  var t = $('timer');
  if (!S.att || !S.att.deadline) { t.hidden = true; return; }
  t.hidden = false;
  var step = function () {
    var left = S.att.deadline - Date.now();
    t.textContent = mmss(left);
    t.className = left < 60000 ? 'low' : '';
    if (left <= 0) {
      clearInterval(S.tick);
      if (!S.att.pending) {
        S.att.timeUp = true;
        saveAtt();
        renderQuestion();
        emit('submit');
      }
    }
  };
  step();
  S.tick = setInterval(step, 1000);
}

// Two-step discard of a resumed, unsubmitted attempt (avoids accidental taps).
$('abandon').addEventListener('click', function () {
  var b = this;
  if (!b.getAttribute('data-armed')) {
    b.setAttribute('data-armed', '1');
    b.textContent = 'Chạm lần nữa để bỏ bài (câu trả lời sẽ bị xóa)';
    return;
  }
  b.hidden = true;
  if (!S.att || S.att.pending) return;
  clearInterval(S.tick);
  dropAtt();
  S.att = null;
  showError('');
  emit('back-to-start', true);
});
