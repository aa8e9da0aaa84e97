// Closing the round: the button counts down to the moment the server allows the close
// (the round's end plus its grace for entries in flight, from the ranking API), the flags
// are loaded again right before, and unreviewed flags are listed in a dialog to confirm.
import { $, el, showMsg, showError } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { mmss, atDay } from '../../lib/format.js';
import { emit } from '../../lib/events.js';
import { state, canManage, roundPath, serverNow } from './state.js';
import { loadRanking, stopRefresh } from './ranking.js';
import { loadFlags, renderFlagAction, FLAG_LABEL } from './flags.js';
import { loadWinners, showClosed } from './winners.js';

var CLOSE_LABEL = 'Chốt kết quả vòng thi';
var HOUR = 3600000;
var tick = null;
var busy = false;

function stopTick() {
  if (tick) clearInterval(tick);
  tick = null;
}

// updateCloseButton disables the button until the close is allowed and says how long is
// left: a running mm:ss in the last hour, the date and time before.
export function updateCloseButton() {
  var btn = $('close-round'), hint = $('close-hint');
  var allowed = state.closeAllowedAt ? Date.parse(state.closeAllowedAt) : NaN;
  if (btn.hidden || !state.round || state.final || isNaN(allowed)) {
    stopTick();
    btn.textContent = CLOSE_LABEL;
    btn.disabled = busy || (!btn.hidden && isNaN(allowed)); // not before the server said when
    showMsg(hint, '');
    return;
  }
  var left = allowed - serverNow();
  if (left > 0) {
    btn.disabled = true;
    btn.textContent = left < HOUR ? 'Chốt kết quả sau ' + mmss(left) : CLOSE_LABEL;
    showMsg(hint, 'Chốt được kết quả từ ' + atDay(state.closeAllowedAt) + ' (sau giờ đóng vòng ' +
      Math.round((allowed - Date.parse(state.round.closesAt)) / 1000) + ' giây để nhận nốt các bài đang nộp).');
    if (!tick) tick = setInterval(updateCloseButton, 1000);
    return;
  }
  var wasCounting = !!tick;
  stopTick();
  btn.disabled = busy;
  btn.textContent = CLOSE_LABEL;
  showMsg(hint, '');
  if (wasCounting) emit('round-state'); // the state line leaves "đang nhận nốt bài nộp dở"
}

// unreviewed groups the flags of entries neither kept nor disqualified by entry, in the
// list's order.
function unreviewed(flags) {
  var by = {}, order = [];
  (flags || []).forEach(function (f) {
    if (state.disqualified[f.attemptId] || f.kept || state.kept[f.attemptId]) return; // decided
    if (!by[f.attemptId]) { by[f.attemptId] = { name: f.name, score: f.score, kinds: [] }; order.push(f.attemptId); }
    by[f.attemptId].kinds.push((FLAG_LABEL[f.kind] || f.kind) + (f.detail ? ' (' + f.detail + ')' : ''));
  });
  return order.map(function (id) { var x = by[id]; x.attemptId = id; return x; });
}

// goTo is the entry whose "Xem bài" closed the dialog.
var goTo = '';

// focusFlag brings an entry's row of the flags panel into view with the focus on its
// first control (the row itself when it has none).
function focusFlag(attemptId) {
  var row = document.querySelector('#flags-table tbody tr[data-attempt-id="' + CSS.escape(attemptId) + '"]');
  if (!row) return;
  var target = row.querySelector('button, a') || row;
  if (target === row) row.tabIndex = -1;
  row.scrollIntoView({ block: 'center' });
  target.focus();
}

// confirmClose shows the unreviewed flags and resolves true only on "Vẫn chốt kết quả".
function confirmClose(list) {
  var dlg = $('close-confirm'), ul = $('close-confirm-list');
  ul.textContent = '';
  list.forEach(function (x) {
    var li = el('li', null, x.name + ' — ' + x.score + ' điểm — ' + x.kinds.join('; ') + ' ');
    li.setAttribute('data-attempt-id', x.attemptId);
    // A link to the entry's row in the flags panel, where it is kept or disqualified:
    // following it cancels the close.
    var go = el('button', 'btn small go-flag', 'Xem bài');
    go.type = 'button';
    go.setAttribute('data-target', x.attemptId);
    go.setAttribute('aria-label', 'Xem bài của ' + x.name + ' trong danh sách cần xem xét');
    go.addEventListener('click', function () { goTo = x.attemptId; $('close-confirm-cancel').click(); });
    li.appendChild(go);
    ul.appendChild(li);
  });
  $('close-confirm-title').textContent = 'Còn ' + list.length + ' bài cần xem xét chưa xử lý';
  return new Promise(function (resolve) {
    function done(ok) {
      var target = goTo;
      goTo = '';
      $('close-confirm-ok').removeEventListener('click', yes);
      $('close-confirm-cancel').removeEventListener('click', no);
      dlg.removeEventListener('cancel', esc);
      if (dlg.open) dlg.close();
      if (target) focusFlag(target);
      resolve(ok);
    }
    function yes() { done(true); }
    function no() { done(false); }
    function esc(ev) { ev.preventDefault(); done(false); } // Escape is a cancel
    $('close-confirm-ok').addEventListener('click', yes);
    $('close-confirm-cancel').addEventListener('click', no);
    dlg.addEventListener('cancel', esc);
    dlg.showModal();
  });
}

function setBusy(b) {
  busy = b;
  updateCloseButton();
}

$('close-round').addEventListener('click', function () {
  if (busy || !canManage()) return;
  var seq = state.seq;
  setBusy(true);
  showError('');
  showMsg($('round-status'), 'Đang kiểm tra bài cần xem xét…');
  // The flags again, as they are now: an entry flagged since the last refresh counts.
  loadFlags(true).then(function (flags) {
    if (seq !== state.seq) return false;
    if (!flags) throw new Error('Không tải được danh sách bài cần xem xét nên chưa chốt kết quả. Vui lòng thử lại.');
    var open = unreviewed(flags);
    showMsg($('round-status'), '');
    return open.length ? confirmClose(open) : true;
  }).then(function (go) {
    if (!go || seq !== state.seq) {
      setBusy(false);
      if (!go && seq === state.seq) showMsg($('round-status'), 'Chưa chốt kết quả.');
      return;
    }
    showMsg($('round-status'), 'Đang chốt kết quả…');
    return api('POST', roundPath() + '/close').then(function (r) {
      setBusy(false);
      if (seq !== state.seq) return;
      showMsg($('round-status'), '');
      showClosed(r);
      stopRefresh();
      return loadRanking(false).then(loadWinners).then(function () {
        var rows = document.querySelectorAll('#flags-table tbody tr[data-attempt-id]');
        for (var i = 0; i < rows.length; i++) renderFlagAction(rows[i]);
      });
    });
  }).catch(function (err) {
    setBusy(false);
    if (err && err.silent) return;
    showMsg($('round-status'), '');
    showError(err && err.message ? err.message : 'Không chốt được kết quả.');
  });
});
