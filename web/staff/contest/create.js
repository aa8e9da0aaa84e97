// Creating a contest: the form (scope, rounds, prediction, ranking, prizes, checks),
// questions copied with their keys from a published quiz, saved as a draft.
import { $, el, showMsg } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { unitOption } from '../../lib/units.js';
import { on } from '../../lib/events.js';
import { questionKind } from '../../lib/labels.js';
import { state, quizById } from './state.js';
import { reloadQuizzes } from './pickers.js';
import { addRound, addPrize, renderRankingOrder, rankingOrder, moneyValue, DEFAULT_RANKING, DEFAULT_PRIZES } from './rows.js';
import { askPublish } from './pickers.js';

function fillScopePicker() {
  var sel = $('c-scope');
  sel.textContent = '';
  state.scopeUnits.forEach(function (e) { sel.appendChild(unitOption(e)); });
  sel.value = state.me.scopeUnitId;
}

// copyable are the questions of q a contest can copy: scored, with a key.
function copyable(q) {
  return (q.questions || []).filter(function (x) { return questionKind(x.kind).scored && x.correctOptionIds && x.correctOptionIds.length; });
}
function fillSourcePicker() {
  var sel = $('c-source');
  var prev = sel.value;
  sel.textContent = '';
  var list = state.quizzes.filter(function (q) {
    return (q.status === 'published' || q.status === 'closed') && q.kind !== 'survey' && copyable(q).length;
  });
  if (!list.length) {
    var none = el('option', null, '— Chưa có bài trắc nghiệm nào đã công bố —');
    none.value = '';
    sel.appendChild(none);
    return;
  }
  list.forEach(function (q) {
    var o = el('option', null, q.title + ' (' + copyable(q).length + ' câu)');
    o.value = q.id;
    sel.appendChild(o);
  });
  if (prev && list.some(function (q) { return q.id === prev; })) sel.value = prev;
}
on('quizzes-loaded', fillSourcePicker);

$('c-import').addEventListener('click', function () {
  var q = quizById($('c-source').value);
  if (!q) { showMsg($('c-question-count'), 'Vui lòng chọn một bài để lấy câu hỏi.', true); return; }
  state.imported = copyable(q).map(function (x) {
    var idx = [];
    (x.options || []).forEach(function (o, i) { if (x.correctOptionIds.indexOf(o.id) >= 0) idx.push(i); });
    return {
      kind: x.kind, text: x.text, topic: x.topic || '', points: x.points > 0 ? x.points : 1,
      options: (x.options || []).map(function (o) { return { text: o.text }; }), correctOptionIndexes: idx
    };
  });
  var ul = $('c-questions');
  ul.textContent = '';
  state.imported.forEach(function (x, i) {
    var li = el('li');
    var lab = el('label', 'check');
    var cb = el('input', 'c-q');
    cb.type = 'checkbox';
    cb.checked = true;
    cb.value = String(i);
    cb.addEventListener('change', countQuestions);
    lab.appendChild(cb);
    lab.appendChild(el('span', null, (i + 1) + '. ' + x.text));
    li.appendChild(lab);
    ul.appendChild(li);
  });
  ul.hidden = !state.imported.length;
  countQuestions();
});
function chosenQuestions() {
  var out = [];
  var boxes = $('c-questions').querySelectorAll('input.c-q');
  for (var i = 0; i < boxes.length; i++) if (boxes[i].checked) out.push(state.imported[+boxes[i].value]);
  return out;
}
function countQuestions() {
  showMsg($('c-question-count'), 'Đã chọn ' + chosenQuestions().length + '/' + state.imported.length + ' câu hỏi.');
}

// The form creates a contest until its first save; from then on it is that draft's
// editor (a second save updates it, never creates another) until reset or published.
function setEditing(id, title) {
  state.editing = id || '';
  $('create-title').textContent = id ? 'Sửa bản nháp «' + title + '»' : 'Tạo cuộc thi mới';
  $('c-save').textContent = id ? 'Lưu thay đổi bản nháp' : 'Lưu bản nháp';
}

// stopEditing closes the form when it edits the draft id (just published).
function stopEditing(id) {
  if (!state.editing || state.editing !== id) return;
  setEditing('');
  $('create').hidden = true;
  $('new-contest').setAttribute('aria-expanded', 'false');
}
on('published', stopEditing);

function resetCreateForm() {
  $('create-form').reset();
  setEditing('');
  $('c-rounds').textContent = '';
  var from = new Date();
  from.setMinutes(0, 0, 0);
  from = new Date(from.getTime() + 3600000);
  addRound(from, new Date(from.getTime() + 7 * 86400000));
  renderRankingOrder(DEFAULT_RANKING.slice());
  $('c-prizes').textContent = '';
  DEFAULT_PRIZES.forEach(function (p) { addPrize(p[0], p[1], p[2]); });
  fillScopePicker();
  fillSourcePicker();
  state.imported = [];
  $('c-questions').textContent = '';
  $('c-questions').hidden = true;
  showMsg($('c-question-count'), '');
  showMsg($('c-error'), '');
  showMsg($('c-done'), '');
}

$('new-contest').addEventListener('click', function () {
  var box = $('create');
  var opening = box.hidden;
  if (opening) resetCreateForm();
  box.hidden = !opening;
  this.setAttribute('aria-expanded', opening ? 'true' : 'false');
  if (opening) $('c-title').focus();
});
$('c-cancel').addEventListener('click', function () {
  $('create').hidden = true;
  $('new-contest').setAttribute('aria-expanded', 'false');
  $('new-contest').focus();
});

function numOf(id, fallback) {
  var v = $(id).value.trim();
  return v === '' ? fallback : Number(v);
}

// readContest builds the POST body, or returns {error, field}.
function readContest() {
  var title = $('c-title').value.trim();
  if (!title) return { error: 'Vui lòng nhập tên cuộc thi.', field: 'c-title' };
  var rounds = [];
  var rows = $('c-rounds').querySelectorAll('.round-row');
  for (var i = 0; i < rows.length; i++) {
    var o = rows[i].querySelector('.c-open'), c = rows[i].querySelector('.c-close');
    var od = new Date(o.value), cd = new Date(c.value);
    var rid = rows[i].getAttribute('data-round-id');
    var rname = rows[i].querySelector('.c-round-name').value.trim() || 'Vòng ' + (i + 1);
    if (!o.value || isNaN(od.getTime())) return { error: rname + ': vui lòng nhập thời gian mở.', field: o.id };
    if (!c.value || isNaN(cd.getTime())) return { error: rname + ': vui lòng nhập thời gian đóng.', field: c.id };
    if (cd <= od) return { error: rname + ': thời gian đóng phải sau thời gian mở.', field: c.id };
    rounds.push({ id: rid, name: rname, opensAt: od.toISOString(), closesAt: cd.toISOString() });
  }
  if (!rounds.length) return { error: 'Cần ít nhất một vòng thi.', field: 'c-add-round' };
  var prizes = [];
  var prows = $('c-prizes').querySelectorAll('.prize-row');
  for (var k = 0; k < prows.length; k++) {
    var tier = prows[k].querySelector('.c-tier'), count = prows[k].querySelector('.c-count'), amount = prows[k].querySelector('.c-amount');
    if (!tier.value.trim()) return { error: 'Hạng giải thứ ' + (k + 1) + ' cần có tên.', field: tier.id };
    var n = Number(count.value);
    if (!(n >= 1) || Math.floor(n) !== n) return { error: 'Giải ' + tier.value.trim() + ': số giải phải là số nguyên từ 1.', field: count.id };
    var amt = moneyValue(amount);
    if (!(amt >= 0)) return { error: 'Giải ' + tier.value.trim() + ': giá trị giải chỉ gồm chữ số, ví dụ 2.000.000.', field: amount.id };
    prizes.push({ tier: tier.value.trim(), count: n, amount: Math.round(amt) });
  }
  // Without phone verification a prize may go to whoever typed a number: the organiser
  // confirms it (the server refuses such a contest otherwise).
  var unverified = !$('c-verify-phone').checked;
  if (unverified && prizes.length && !$('c-allow-unverified').checked) {
    return { error: 'Hội thi có giải thưởng mà không xác minh số điện thoại: hãy đánh dấu ô xác nhận, hoặc bật xác minh.', field: 'c-allow-unverified' };
  }
  var questions = chosenQuestions();
  if (!questions.length) return { error: 'Vui lòng lấy câu hỏi từ một bài đã công bố và chọn ít nhất một câu.', field: 'c-source' };
  var text = $('c-prediction-text').value.trim();
  if (!text) return { error: 'Vui lòng nhập câu hỏi dự đoán.', field: 'c-prediction-text' };
  var minutes = numOf('c-time-limit', 10);
  var opens = rounds.map(function (r) { return Date.parse(r.opensAt); });
  var closes = rounds.map(function (r) { return Date.parse(r.closesAt); });
  var body = {
    kind: 'contest', title: title, description: $('c-description').value.trim(),
    opensAt: new Date(Math.min.apply(null, opens)).toISOString(),
    closesAt: new Date(Math.max.apply(null, closes)).toISOString(),
    timeLimitSec: Math.round(minutes * 60), drawCount: numOf('c-draw', 0), shuffle: true,
    scopeUnitId: $('c-scope').value, questions: questions,
    contest: {
      rounds: rounds, attemptsPerRound: numOf('c-attempts', 1),
      prediction: { text: text, truth: $('c-prediction-truth').value },
      ranking: rankingOrder(), prizes: prizes, prizeCapPercent: numOf('c-cap', 0),
      minPrizeScore: numOf('c-min-score', 1),
      onePrizePerPerson: $('c-one-prize').checked,
      collective: {
        count: numOf('c-collective-count', 0),
        participationWeight: numOf('c-w-participation', 0.7), entrantsWeight: numOf('c-w-entrants', 0.3)
      },
      fastSecondsPerQuestion: numOf('c-fast', 3), topN: numOf('c-topn', 10)
    }
  };
  // Checked keeps the default (verified when there are prizes).
  if (unverified) {
    body.contest.verifyPhone = false;
    body.contest.allowUnverified = $('c-allow-unverified').checked;
  }
  return { body: body };
}

$('create-form').addEventListener('submit', function (ev) {
  ev.preventDefault();
  showMsg($('c-error'), '');
  showMsg($('c-done'), '');
  var r = readContest();
  if (r.error) {
    showMsg($('c-error'), r.error);
    if ($(r.field)) $(r.field).focus();
    return;
  }
  var btn = $('c-save');
  if (btn.disabled) return; // a save is on its way: a second one would make a second contest
  btn.disabled = true;
  var editing = state.editing;
  var save = editing ? api('PUT', '/v1/admin/quizzes/' + encodeURIComponent(editing), r.body) : api('POST', '/v1/admin/quizzes', r.body);
  save.then(function (out) {
    btn.disabled = false;
    setEditing(out.id, r.body.title);
    showMsg($('c-done'), (editing ? 'Đã lưu thay đổi bản nháp «' : 'Đã lưu bản nháp «') + r.body.title +
      '». Kiểm tra lại rồi công bố để mở cho người dự thi. ');
    // The publish button right in the message: the picker's is far above the form.
    var pub = el('button', 'btn primary', 'Công bố cuộc thi');
    pub.type = 'button';
    pub.id = 'c-publish';
    pub.addEventListener('click', function () { askPublish(); });
    $('c-done').appendChild(pub);
    return reloadQuizzes(out.id);
  }).catch(function (err) {
    btn.disabled = false;
    if (!err.silent) showMsg($('c-error'), err.message);
  });
});
