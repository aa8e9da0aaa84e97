// The result screen after a submit: score (or thanks for a survey), duration, the review
// of each answer, and for a contest the receipt (no score until the round's results are
// frozen), the prediction and the link to the round's results.
import { $, el, showError } from '../lib/dom.js';
import { atDay, durationText } from '../lib/format.js';
import { likertLabel, questionKind } from '../lib/labels.js';
import { emit } from '../lib/events.js';
import { S, dropAtt, show } from './state.js';
import { keepReceipt, receiptActions } from './receipts.js';

function optText(q, id) {
  var o = (q.options || []).filter(function (x) { return String(x.id) === String(id); })[0];
  return o ? o.text : String(id);
}

// scoreLine is the result in one sentence: "Bạn trả lời đúng 7/10 câu — Đạt".
export function scoreLine(r, a) {
  var line = 'Bạn trả lời đúng ' + (r.correctCount || 0) + '/' + (r.questionCount || a.questions.length) + ' câu';
  if (r.passed === true) line += ' — Đạt';
  else if (r.passed === false) line += ' — Chưa đạt';
  return line;
}

function quote(s) { return '“' + s + '”'; }

// reviewLines says what the resident answered and what is right, quoting the options'
// texts: for a true/false question "Câu này Đúng — bạn chọn Sai".
export function reviewLines(q, ans, rv) {
  var mine, k = questionKind(q.kind);
  if (k.answer === 'text') mine = ans.text || '';
  else if (k.answer === 'value') mine = likertLabel(ans.value);
  else mine = (ans.optionIds || []).map(function (id) { return optText(q, id); }).join('; ');
  var right = (rv.correctOptionIds || []).map(function (id) { return optText(q, id); }).join('; ');
  if (k.statement && right) {
    return ['Câu này ' + right + ' — ' + (mine ? 'bạn chọn ' + mine : 'bạn chưa trả lời') + '.'];
  }
  if (!mine) return right ? ['Bạn chưa trả lời. Đáp án đúng: ' + quote(right) + '.'] : ['Bạn chưa trả lời.'];
  if (rv.correct || !right) return ['Bạn chọn: ' + quote(mine) + '.'];
  return ['Bạn chọn: ' + quote(mine) + '.', 'Đáp án đúng: ' + quote(right) + '.'];
}

// showResult shows a submitted attempt's result and forgets the attempt.
export function showResult(r) {
  clearInterval(S.tick);
  showError('');
  var a = S.att;
  var review = r.review || [];
  // A contest entry before its round's results are frozen has a receipt and no score.
  var sealed = !!r.receipt && r.maxScore == null;
  var survey = a.quizKind === 'survey' || (!sealed && !r.maxScore && !review.length);
  $('score-line').textContent = scoreLine(r, a);
  $('pass-note').textContent = r.passPercent ? 'Cần đúng từ ' + r.passPercent + '% số điểm trở lên để đạt.' : '';
  $('score-box').hidden = survey || sealed;
  $('thanks').hidden = !survey;
  $('duration').textContent = r.durationMs != null ? 'Thời gian làm bài: ' + durationText(r.durationMs) : '';
  var contest = a.quizKind === 'contest';
  $('contest-result').hidden = !contest;
  if (contest) {
    // No score and no review in a contest until the round's results are frozen: the key
    // stays secret while the round is open.
    if (sealed) review = [];
    $('receipt').textContent = r.receipt || '';
    $('receipt-box').hidden = !r.receipt;
    var actions = $('receipt-actions');
    actions.innerHTML = '';
    if (r.receipt) {
      // Kept on this device for "Lượt thi của tôi" on the start screen.
      var entry = { receipt: r.receipt, quizId: a.quizId, title: a.quizTitle, roundId: r.roundId || '',
        roundName: r.roundName || '', at: r.submittedAt || new Date().toISOString() };
      keepReceipt(entry);
      actions.appendChild(receiptActions(entry));
    }
    // resultsAfter is the round's end plus the server's grace: the earliest publication.
    var round = r.roundName || 'vòng thi';
    var after = atDay(r.resultsAfter);
    $('contest-note').textContent = !sealed ? 'Kết quả xếp hạng ' + round + ' đã được công bố' :
      'Kết quả xếp hạng ' + round + ' được công bố ' + (after ? 'sau ' + after : 'sau khi vòng thi kết thúc');
    $('results-after').textContent = sealed && r.resultsAfter ?
      'Điểm và đáp án của bạn có khi kết quả được công bố. Hãy giữ mã biên nhận này.' : '';
    $('results-after').hidden = !(sealed && r.resultsAfter);
    var pred = r.prediction != null ? r.prediction : (a.payload && a.payload.prediction);
    $('prediction-result').textContent = pred != null ? 'Số dự đoán của bạn: ' + pred : '';
    $('late-note').hidden = r.ranked !== false;
    var link = $('results-link');
    link.hidden = !r.roundId;
    link.parentNode.hidden = !r.roundId;
    if (r.roundId) link.href = '?results=' + encodeURIComponent(a.quizId) + '&round=' + encodeURIComponent(r.roundId);
  }
  var list = $('review');
  list.innerHTML = '';
  var byId = {};
  review.forEach(function (x) { byId[x.questionId] = x; });
  a.questions.forEach(function (q, i) {
    var rv = byId[q.id];
    if (!rv) return;
    var li = el('li', rv.correct ? 'correct' : 'wrong');
    li.setAttribute('data-question-id', q.id);
    li.appendChild(el('p', 'q', 'Câu ' + (i + 1) + '. ' + q.text));
    li.appendChild(el('p', 'mk', rv.correct ? '✓ Bạn trả lời đúng' : '✗ Bạn trả lời chưa đúng'));
    reviewLines(q, a.answers[q.id] || {}, rv).forEach(function (line) { li.appendChild(el('p', null, line)); });
    list.appendChild(li);
  });
  $('review-title').hidden = !list.children.length;
  // A long review puts the bottom button screens away: the way back is also above it.
  $('again-top').hidden = !list.children.length;
  S.att = null;
  dropAtt();
  show('result');
  $('result-title').focus();
}

['again', 'again-top'].forEach(function (id) {
  $(id).addEventListener('click', function () { showError(''); emit('back-to-start', true); });
});
