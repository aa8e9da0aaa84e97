// Public results of a closed contest round: ?results=<quizId>&round=<roundId>.
import { $, el, showError } from '../lib/dom.js';
import { fetchJSON, fetchListJSON, errorMessage, NET_MSG } from '../lib/api.js';
import { dec, durationText, tierLabel, atDay } from '../lib/format.js';
import { show } from './state.js';

// showPublicResults loads and shows a round's published results. The round's name and
// when its results come are read from the contest in GET /v1/quizzes (never its id).
export function showPublicResults(quizId, roundId) {
  show('results-screen');
  $('results-body').hidden = true;
  $('results-quiz').textContent = '';
  var status = $('results-status');
  status.textContent = 'Đang tải…';
  var round = null, title = '', pending = false;
  function heading(name) { $('results-quiz').textContent = (title ? title + ' — ' : '') + (name || ''); }
  function notYet() {
    status.textContent = 'Kết quả ' + (round ? round.name : 'vòng thi này') + ' chưa được công bố. Kết quả xếp hạng được công bố ' +
      (round && atDay(round.resultsAfter) ? 'sau ' + atDay(round.resultsAfter) + '.' : 'sau khi vòng thi kết thúc.');
  }
  fetchListJSON('/v1/quizzes').then(function (res) {
    var list = (res.status === 200 && res.data && res.data.quizzes) || [];
    var q = list.filter(function (x) { return String(x.id) === quizId; })[0];
    if (!q) return;
    title = q.title;
    round = (q.rounds || []).filter(function (r) { return r.id === roundId; })[0] || null;
    heading(round ? round.name : '');
    if (pending) notYet();
  }, function () { /* the title is optional */ });
  fetchJSON('GET', '/v1/contests/' + encodeURIComponent(quizId) + '/rounds/' + encodeURIComponent(roundId) + '/results').then(function (res) {
    if (res.status === 404) {
      pending = true;
      notYet();
      return;
    }
    if (res.status !== 200) { status.textContent = ''; showError(errorMessage(res)); return; }
    status.textContent = '';
    if (res.data && res.data.roundName) heading(res.data.roundName);
    renderPublicResults(res.data || {});
  }, function () { status.textContent = ''; showError(NET_MSG); });
  $('results-title').focus();
}

function renderPublicResults(d) {
  $('results-truth').textContent = dec(d.truth);
  $('results-entries').textContent = dec(d.entries);
  $('results-digest').textContent = d.digest || '';
  var top = $('results-top');
  top.innerHTML = '';
  (d.top || []).forEach(function (l) {
    var li = el('li', l.tier ? 'won' : null);
    li.setAttribute('data-rank', l.rank);
    var head = el('p', 'who');
    head.appendChild(el('span', 'rank', 'Hạng ' + l.rank));
    if (l.tier) head.appendChild(el('span', 'tier', tierLabel(l.tier)));
    li.appendChild(head);
    li.appendChild(el('p', 'name', l.name + (l.unit ? ' — ' + l.unit : '')));
    li.appendChild(el('p', 'small', 'SĐT: ' + (l.phone || '—') + ' · Điểm: ' + l.score + '/' + l.maxScore +
      ' · Dự đoán: ' + l.prediction + ' · Thời gian: ' + durationText(l.durationMs || 0)));
    top.appendChild(li);
  });
  if (!top.children.length) top.appendChild(el('li', 'muted', 'Chưa có bài dự thi được xếp hạng.'));
  var labels = {};
  var tbody = $('results-units').querySelector('tbody');
  tbody.innerHTML = '';
  (d.byUnit || []).forEach(function (u) {
    labels[u.unitId] = u.label || u.unitId;
    var tr = el('tr');
    tr.setAttribute('data-unit', u.unitId);
    tr.appendChild(el('th', null, u.label || u.unitId));
    tr.lastChild.scope = 'row';
    tr.appendChild(el('td', 'num', dec(u.entrants)));
    tbody.appendChild(tr);
  });
  var coll = $('results-collective');
  coll.innerHTML = '';
  (d.collective || []).filter(function (c) { return c.prize; }).forEach(function (c) {
    var li = el('li', null, (labels[c.unitId] || c.unitId) + ': ' + dec(c.entrants) + ' người dự thi, tỷ lệ tham gia ' +
      dec(c.participationRate) + ' %');
    li.setAttribute('data-unit', c.unitId);
    coll.appendChild(li);
  });
  $('results-collective-box').hidden = !coll.children.length;
  $('results-body').hidden = false;
}
