// Submission of the attempt's answers, resent with backoff while the network or the
// server fails; answers are frozen in the stored attempt so that a retry (even after a
// reload) sends exactly the same payload.
import { $, showError } from '../lib/dom.js';
import { fetchJSON, errorMessage } from '../lib/api.js';
import { on, emit } from '../lib/events.js';
import { questionKind } from '../lib/labels.js';
import { S, saveAtt, dropAtt } from './state.js';
import { attContest, hasAnswer, readPrediction, renderQuestion, setSubmitBusy } from './quiz.js';
import { showResult } from './result.js';

var sending = false, retryTimer = null, retryN = 0;

function buildAnswers() {
  var out = [];
  S.att.questions.forEach(function (q) {
    var a = S.att.answers[q.id];
    if (!hasAnswer(a)) return;
    var form = questionKind(q.kind).answer;
    if (form === 'text') out.push({ questionId: q.id, text: a.text.trim() });
    else if (form === 'value') out.push({ questionId: q.id, value: a.value });
    else out.push({ questionId: q.id, optionIds: a.optionIds });
  });
  return out;
}

// submitAttempt freezes the answers (once) and sends them.
export function submitAttempt() {
  var att = S.att;
  if (!att) return;
  if (!att.pending) {
    var prediction = null;
    if (attContest()) {
      prediction = readPrediction();
      if (prediction == null) {
        // The prediction is required: go to it and ask.
        att.index = att.questions.length;
        saveAtt();
        renderQuestion();
        showError('Vui lòng trả lời câu hỏi dự đoán bằng một số nguyên (ví dụ: 1500).');
        $('prediction').focus();
        return;
      }
    }
    showError('');
    // Freeze answers: retries resend exactly this payload.
    att.pending = true;
    $('abandon').hidden = true;
    att.payload = { attemptToken: att.attemptToken, answers: buildAnswers() };
    if (prediction != null) att.payload.prediction = prediction;
    saveAtt();
    if (!$('question').hidden) renderQuestion();
  }
  sendNow();
}
on('submit', submitAttempt);

// sendNow sends the frozen payload (unless a send is on its way).
export function sendNow() {
  if (sending || !S.att || !S.att.pending) return;
  clearTimeout(retryTimer);
  sending = true;
  setSubmitBusy(true);
  $('retry').disabled = true;
  var id = S.att.attemptId;
  fetchJSON('POST', '/v1/attempts/' + encodeURIComponent(id) + '/submit', S.att.payload).then(function (res) {
    sending = false;
    $('retry').disabled = false;
    if (res.status === 200 || res.status === 201) return done(res.data || {});
    if (res.status >= 500 || res.status === 408 || res.status === 429) return scheduleRetry();
    if (res.status === 409) return fetchResult();
    failSubmit(res);
  }, function () {
    sending = false;
    $('retry').disabled = false;
    scheduleRetry();
  });
}

function scheduleRetry() {
  var delay = Math.min(2000 * Math.pow(2, retryN), 30000);
  retryN++;
  $('retry-notice').hidden = false;
  $('retry-info').textContent = '(thử lại sau ' + Math.round(delay / 1000) + ' giây)';
  clearTimeout(retryTimer);
  retryTimer = setTimeout(sendNow, delay);
}

// stopRetry cancels a scheduled resend and hides the notice.
export function stopRetry() {
  clearTimeout(retryTimer);
  retryN = 0;
  $('retry-notice').hidden = true;
}

$('retry').addEventListener('click', function () { retryN = 0; sendNow(); });
window.addEventListener('online', function () { if (S.att && S.att.pending) { retryN = 0; sendNow(); } });

// done shows the submitted attempt's result, with no resend left.
function done(r) {
  stopRetry();
  showResult(r);
}

// Already submitted (e.g. first response was lost): fetch the stored result.
function fetchResult() {
  fetchJSON('GET', '/v1/attempts/' + encodeURIComponent(S.att.attemptId) + '?token=' + encodeURIComponent(S.att.attemptToken))
    .then(function (res) {
      if (res.status === 200) done(res.data || {});
      else if (res.status >= 500) scheduleRetry();
      else failSubmit(res);
    }, scheduleRetry);
}

function failSubmit(res) {
  stopRetry();
  var msg = res.status === 410 ? 'Đã hết giờ làm bài' : errorMessage(res);
  if (res.status === 400 || res.status === 422) {
    // Answers rejected: let the user fix and submit again.
    S.att.pending = false;
    delete S.att.payload;
    saveAtt();
    renderQuestion();
    showError(msg);
    return;
  }
  // Attempt is unusable (expired, unknown, bad token): give up on it.
  clearInterval(S.tick);
  dropAtt();
  S.att = null;
  showError(msg);
  emit('back-to-start', false);
}
