// The contest and round pickers, the chosen contest's summary and its publication.
import { $, el, showMsg, showError } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { QUIZ_STATUS_LABEL as STATUS_LABEL } from '../../lib/labels.js';
import { on, emit } from '../../lib/events.js';
import { state, canManage, contests, quizById, unitName, enc, when, serverNow, sortedRounds, roundName } from './state.js';
import { loadRanking, startRefresh, stopRefresh } from './ranking.js';
import { loadFlags } from './flags.js';
import { loadWinners } from './winners.js';
import { updateCloseButton } from './closing.js';

export function fillContestPicker(want) {
  var sel = $('contest-select');
  var prev = want || sel.value;
  sel.textContent = '';
  var list = contests();
  if (!list.length) {
    var none = el('option', null, '— Chưa có cuộc thi nào —');
    none.value = '';
    sel.appendChild(none);
    return;
  }
  list.forEach(function (q) {
    var o = el('option', null, q.title + ' (' + (STATUS_LABEL[q.status] || q.status) + ')');
    o.value = q.id;
    sel.appendChild(o);
  });
  if (prev && list.some(function (q) { return q.id === prev; })) sel.value = prev;
  else {
    var open = list.filter(function (q) { return q.status === 'published'; })[0];
    sel.value = (open || list[0]).id;
  }
}

// roundState: a draft contest's rounds are drafts whatever the clock says (nobody can
// enter them); the others follow the server's clock.
function roundState(r, final, draft) {
  var now = serverNow();
  if (final) return ['final', 'Đã chốt kết quả'];
  if (draft) return ['draft', 'Nháp'];
  if (now < Date.parse(r.opensAt)) return ['upcoming', 'Chưa mở'];
  if (now < Date.parse(r.closesAt)) return ['open', 'Đang mở'];
  if (state.closeAllowedAt && now < Date.parse(state.closeAllowedAt)) return ['ended', 'Đã hết giờ, đang nhận nốt bài nộp dở'];
  return ['ended', 'Đã hết giờ, chờ chốt kết quả'];
}

export function onContestChange() {
  state.seq++;
  stopRefresh();
  showError('');
  showMsg($('picker-status'), '');
  var q = quizById($('contest-select').value);
  state.contest = q;
  var rsel = $('round-select');
  rsel.textContent = '';
  $('publish').hidden = true;
  if (!q) {
    $('contest-info').textContent = canManage() ? 'Bấm «Tạo cuộc thi mới» để bắt đầu.' : '';
    $('round-panel').hidden = true;
    return;
  }
  var c = q.contest;
  var info = ['Trạng thái: ' + (STATUS_LABEL[q.status] || q.status)];
  if (q.scopeUnitId) info.push('Phạm vi: ' + unitName(q.scopeUnitId));
  info.push((q.questions || []).length + ' câu hỏi');
  if (q.timeLimitSec > 0) info.push(Math.round(q.timeLimitSec / 60) + ' phút mỗi lượt');
  info.push((c.attemptsPerRound || 1) + ' lượt mỗi vòng');
  if ((c.prizes || []).length) info.push('Nhận giải khi đạt từ ' + (c.minPrizeScore || 1) + ' điểm');
  if (c.prediction && c.prediction.text) info.push('Câu hỏi dự đoán: ' + c.prediction.text);
  $('contest-info').textContent = info.join(' · ');
  $('publish').hidden = !(q.status === 'draft' && canManage());
  var rounds = sortedRounds(q);
  var now = serverNow();
  var pick = null;
  rounds.forEach(function (r) {
    var o = el('option', null, roundName(q, r) + ' (' + when(r.opensAt) + ' – ' + when(r.closesAt) + ')');
    o.value = r.id;
    rsel.appendChild(o);
    if (Date.parse(r.opensAt) <= now) pick = r.id; // the latest round that has opened
  });
  if (rounds.length) rsel.value = pick || rounds[0].id;
  onRoundChange();
}

function onRoundChange() {
  state.seq++;
  stopRefresh();
  showError('');
  var q = state.contest;
  var r = q && (q.contest.rounds || []).filter(function (x) { return x.id === $('round-select').value; })[0];
  state.round = r || null;
  state.final = false;
  state.disqualified = {};
  state.kept = {};
  state.closeAllowedAt = '';
  state.flags = null;
  if (!r) { $('round-panel').hidden = true; updateCloseButton(); return; }
  $('round-panel').hidden = false;
  $('round-title').textContent = roundName(q, r);
  $('public-link').href = '/?results=' + enc(q.id) + '&round=' + enc(r.id);
  $('digest').textContent = '';
  $('close-entries').textContent = '';
  $('close-result').hidden = true;
  showMsg($('round-status'), '');
  $('winners-section').hidden = true;
  $('winners-table').querySelector('tbody').textContent = '';
  $('ranking-table').querySelector('tbody').textContent = '';
  $('flags-table').querySelector('tbody').textContent = '';
  $('flags-section').hidden = !canManage();
  $('entries-section').hidden = !canManage();
  showMsg($('entries-progress'), '');
  renderRoundInfo();
  var seq = state.seq;
  loadRanking(false).then(function () {
    if (seq !== state.seq) return;
    if (state.final) loadWinners();
    else startRefresh();
  });
  if (canManage()) loadFlags(false);
}

export function renderRoundInfo() {
  var r = state.round, box = $('round-info');
  box.textContent = '';
  var st = roundState(r, state.final, state.contest.status === 'draft');
  box.appendChild(el('span', 'state ' + st[0], st[1]));
  box.appendChild(el('span', null, 'Mở: ' + when(r.opensAt)));
  box.appendChild(el('span', null, 'Đóng: ' + when(r.closesAt)));
  if (state.contest.status === 'draft') box.appendChild(el('span', null, 'Cuộc thi chưa được công bố'));
  $('close-round').hidden = !(canManage() && !state.final && state.contest.status !== 'draft');
  updateCloseButton();
}
on('round-state', renderRoundInfo);

$('contest-select').addEventListener('change', onContestChange);
$('round-select').addEventListener('change', onRoundChange);

// askPublish asks before publishing the chosen contest and says what cannot be undone;
// the safe choice (not yet) has the focus.
export function askPublish() {
  var q = state.contest;
  if (!q || q.status !== 'draft') return;
  var dlg = $('publish-confirm');
  $('publish-confirm-title').textContent = 'Công bố cuộc thi «' + q.title + '»?';
  dlg.showModal();
}

function publish() {
  var q = state.contest;
  if (!q) return;
  var btns = [$('publish'), $('c-publish')].filter(Boolean);
  btns.forEach(function (b) { b.disabled = true; });
  api('POST', '/v1/admin/quizzes/' + enc(q.id) + '/publish').then(function () {
    btns.forEach(function (b) { b.disabled = false; });
    emit('published', q.id); // a published contest is no draft to save into
    showMsg($('picker-status'), 'Đã công bố cuộc thi «' + q.title + '»: người dân có thể dự thi khi vòng thi mở.');
    return reloadQuizzes(q.id);
  }).catch(function (err) {
    btns.forEach(function (b) { b.disabled = false; });
    if (!err.silent) showError(err.message);
  });
}

$('publish').addEventListener('click', askPublish);
$('publish-confirm-cancel').addEventListener('click', function () { $('publish-confirm').close(); });
$('publish-confirm-ok').addEventListener('click', function () {
  $('publish-confirm').close();
  publish();
});

export function reloadQuizzes(selectId) {
  return api('GET', '/v1/admin/quizzes').then(function (data) {
    var msg = $('picker-status').textContent;
    state.quizzes = data.quizzes || [];
    fillContestPicker(selectId);
    emit('quizzes-loaded');
    onContestChange();
    showMsg($('picker-status'), msg);
  });
}
