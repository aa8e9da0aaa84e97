// The round's ranking: provisional while the round runs (refreshed every 15 s with the
// flags), frozen after close; masked names and phones, in pages. Its answer also brings
// the server's clock and when the close is allowed.
import { $, el, showMsg } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { minSec, tierLabel, phone } from '../../lib/format.js';
import { on, emit } from '../../lib/events.js';
import { state, canManage, roundPath, enc, td, when, serverNow } from './state.js';
import { loadFlags } from './flags.js';

var REFRESH_MS = 15000;
var RANKING_PAGE = 50;
var refreshTimer = null;

export function startRefresh() {
  stopRefresh();
  refreshTimer = setInterval(function () {
    if (document.hidden || !state.round || state.final) return;
    // Once both have answered, the table records the refresh and what it ranked, so the
    // ranking and the flags panel can be seen to agree at the end of each refresh.
    Promise.all([loadRanking(true), canManage() ? loadFlags(true) : null]).then(function () {
      var t = $('ranking-table');
      t.dataset.refreshes = String(+(t.dataset.refreshes || 0) + 1);
      t.dataset.refreshedRows = String(t.querySelectorAll('tbody tr[data-rank]').length);
    });
  }, REFRESH_MS);
}
export function stopRefresh() {
  if (refreshTimer) clearInterval(refreshTimer);
  refreshTimer = null;
}

// loadRanking loads the first page again (as many lines as shown, on a refresh).
export function loadRanking(refresh) {
  var seq = state.seq;
  var limit = refresh ? Math.min(500, Math.max(RANKING_PAGE, state.shown)) : RANKING_PAGE;
  if (!refresh) showMsg($('ranking-status'), 'Đang tải…');
  return api('GET', roundPath() + '/ranking?limit=' + limit + '&cursor=').then(function (page) {
    if (seq !== state.seq) return;
    if (page.now) state.skew = Date.parse(page.now) - Date.now();
    state.closeAllowedAt = page.closeAllowedAt || '';
    var tbody = $('ranking-table').querySelector('tbody');
    tbody.textContent = '';
    state.shown = 0;
    state.final = !!page.final;
    appendRanking(page);
    emit('round-state');
    if (state.final) stopRefresh();
    var n = state.shown;
    // Sealed: while the contest's key is secret, a reader who may not see it gets the
    // number of entries only, and the note saying why.
    if (page.sealed) return showMsg($('ranking-status'), page.sealedNote + ' Số bài dự thi: ' + (page.entries || 0) + '.');
    showMsg($('ranking-status'), (n ? '' : 'Chưa có bài dự thi nào được xếp hạng. ') +
      (state.final ? 'Bảng xếp hạng chính thức (đã chốt).' : 'Bảng tạm tính, tự cập nhật mỗi 15 giây — lần cuối lúc ' + when(new Date(serverNow()).toISOString()) + '.'));
  }).catch(function (err) {
    if (seq !== state.seq || err.silent) return;
    showMsg($('ranking-status'), err.message, true);
  });
}

on('disqualified', function () { loadRanking(true); });

function appendRanking(page) {
  var tbody = $('ranking-table').querySelector('tbody');
  (page.lines || []).forEach(function (l) {
    var tr = el('tr', l.tier ? 'won' : null);
    tr.setAttribute('data-rank', l.rank);
    tr.appendChild(td('num rank', String(l.rank)));
    tr.appendChild(td('tier', tierLabel(l.tier)));
    tr.appendChild(td('name', l.name));
    tr.appendChild(td('unit', l.unit));
    tr.appendChild(td('phone', phone(l.phone)));
    tr.appendChild(td('num score', l.score + '/' + l.maxScore));
    tr.appendChild(td('num prediction', String(l.prediction)));
    tr.appendChild(td('num duration', minSec(l.durationMs)));
    tbody.appendChild(tr);
    state.shown++;
  });
  state.cursor = page.nextCursor || '';
  $('ranking-more').hidden = !state.cursor;
}

$('ranking-more').addEventListener('click', function () {
  var seq = state.seq, btn = this;
  if (!state.cursor) return;
  btn.disabled = true;
  api('GET', roundPath() + '/ranking?limit=' + RANKING_PAGE + '&cursor=' + enc(state.cursor)).then(function (page) {
    btn.disabled = false;
    if (seq === state.seq) appendRanking(page);
  }).catch(function (err) {
    btn.disabled = false;
    if (!err.silent) showMsg($('ranking-status'), err.message, true);
  });
});
$('ranking-refresh').addEventListener('click', function () {
  loadRanking(true);
  if (canManage() && !state.final) loadFlags(true);
});
