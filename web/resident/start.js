// The start screen's list of quizzes, the choice of one, and going back to the screen.
import { $, el, showError } from '../lib/dom.js';
import { fetchListJSON, errorMessage, NET_MSG } from '../lib/api.js';
import { dateTime, limitText, localDay, shortDateTime, spanText } from '../lib/format.js';
import { KIND_LABEL } from '../lib/labels.js';
import { on, emit } from '../lib/events.js';
import { params, show } from './state.js';
import { indexUnits, presetUnit, renderUnits } from './units.js';
import { renderReceipts, resultsHref } from './receipts.js';

var PHASE_LABEL = { open: 'Đang mở', upcoming: 'Sắp mở', ended: 'Đã kết thúc' };
var WEEK_MS = 7 * 24 * 3600 * 1000;

var quizzes = [];
var selected = null;
var startLoaded = false;
var ticker = null;

// selectedQuiz is the quiz chosen in the list, or null.
export function selectedQuiz() { return selected; }

// phaseOf is where a quiz stands, as the server said by its clock (GET /v1/quizzes):
// the phone's clock may be wrong, so it never decides what can be started.
function phaseOf(q) { return q.phase || 'open'; }

// currentRound is the round a contest's card speaks of: the first not yet over on the
// device's clock, else the last one.
function currentRound(q) {
  var rounds = q.rounds || [];
  var now = Date.now();
  return rounds.filter(function (r) { return Date.parse(r.closesAt) > now; })[0] || rounds[rounds.length - 1] || null;
}

function roundLine(r) {
  return r.name + ': ' + shortDateTime(r.opensAt) + ' – ' + shortDateTime(r.closesAt);
}

// countdown is a span that says how long until `at` ("Còn 2 ngày 3 giờ", "Mở sau 4 giờ
// 05 phút"), refreshed every half minute; none when the device's clock already puts
// `at` in the past (a wrong clock, or a list a minute old).
function countdown(prefix, at) {
  var t = Date.parse(at);
  if (isNaN(t) || t <= Date.now()) return null;
  var s = el('span', 'cd');
  s.setAttribute('data-until', String(t));
  s.setAttribute('data-prefix', prefix);
  s.textContent = prefix + spanText(t - Date.now());
  return s;
}

function tick() {
  var spans = document.querySelectorAll('#quiz-list [data-until]');
  for (var i = 0; i < spans.length; i++) {
    var left = +spans[i].getAttribute('data-until') - Date.now();
    spans[i].textContent = left > 0 ? spans[i].getAttribute('data-prefix') + spanText(left) : '';
  }
}

// metaLine is a card's one line: the kind, the size, and the dates of the phase.
function metaLine(q, phase) {
  var m = el('span', 'm');
  var parts = [KIND_LABEL[q.kind] || q.kind];
  if (q.questionCount) parts.push(q.questionCount + ' câu');
  m.appendChild(document.createTextNode(parts.join(' · ')));
  if (q.kind === 'contest' || phase !== 'open') {
    m.appendChild(document.createTextNode(' · '));
    m.appendChild(el('span', 's' + (phase === 'open' ? '' : ' off'), PHASE_LABEL[phase] || phase));
  }
  var r = q.kind === 'contest' ? currentRound(q) : null;
  if (r) {
    m.appendChild(el('span', 'line', roundLine(r)));
  } else if (phase === 'upcoming' && dateTime(q.opensAt)) {
    m.appendChild(el('span', 'line', 'Mở lúc ' + dateTime(q.opensAt)));
  } else if (phase === 'ended' && dateTime(q.closesAt)) {
    m.appendChild(el('span', 'line', 'Đã đóng lúc ' + dateTime(q.closesAt)));
  } else if (dateTime(q.closesAt)) {
    m.appendChild(document.createTextNode(' · hạn ' + localDay(q.closesAt)));
  }
  // A contest's round always counts down; a quiz only in its last week, as a year-long
  // quiz's "Còn 392 ngày" says nothing its date does not.
  var cd = null, at = null;
  if (phase === 'open') at = r ? r.closesAt : q.closesAt;
  else if (phase === 'upcoming') at = r ? r.opensAt : q.opensAt;
  if (at && (r || Date.parse(at) - Date.now() < WEEK_MS)) cd = countdown(phase === 'open' ? 'Còn ' : 'Mở sau ', at);
  if (cd) m.appendChild(cd);
  return m;
}

// more is a card's details on demand: the description, the time limit and every round.
function more(q) {
  var body = [];
  if (q.description) body.push(el('p', null, q.description));
  if (q.timeLimitSec > 0) body.push(el('p', null, 'Thời gian làm bài: ' + limitText(q.timeLimitSec)));
  if ((q.rounds || []).length > 1) {
    var ul = el('ul', 'rounds');
    q.rounds.forEach(function (r) { ul.appendChild(el('li', null, roundLine(r))); });
    body.push(ul);
  }
  if (!body.length) return null;
  var d = el('details', 'more');
  var s = el('summary', null, 'Giới thiệu');
  s.setAttribute('aria-label', 'Giới thiệu: ' + q.title);
  d.appendChild(s);
  body.forEach(function (n) { d.appendChild(n); });
  return d;
}

// card is a quiz's card: compact (title and one line), chosen with a tap while open; an
// upcoming one cannot be chosen yet, and an ended contest links to its rounds' results
// instead of offering the form.
function card(q) {
  var phase = phaseOf(q);
  var c = el('div', 'quiz-card' + (phase === 'open' ? '' : ' ' + phase));
  c.setAttribute('data-card', q.id);
  var head;
  if (phase === 'open') {
    head = el('button', 'quiz-item');
    head.type = 'button';
    head.setAttribute('data-quiz-id', q.id);
    head.setAttribute('aria-pressed', selected && selected.id === q.id ? 'true' : 'false');
    head.addEventListener('click', function () { selectQuiz(q, true); });
  } else {
    head = el('div', 'quiz-head');
  }
  head.appendChild(el('span', 't', q.title));
  head.appendChild(metaLine(q, phase));
  c.appendChild(head);
  if (phase === 'ended' && q.kind === 'contest') {
    var links = el('p', 'results-links');
    (q.rounds || []).forEach(function (r) {
      var a = el('a', 'results-link', 'Xem kết quả ' + r.name);
      a.href = resultsHref(q.id, r.id);
      links.appendChild(a);
    });
    if (links.children.length) c.appendChild(links);
  }
  var d = more(q);
  if (d) c.appendChild(d);
  return c;
}

function renderQuizzes() {
  var list = $('quiz-list');
  list.innerHTML = '';
  if (!quizzes.length) {
    list.appendChild(el('p', 'muted', 'Hiện chưa có bài nào đang mở.'));
    return;
  }
  // Open first, then upcoming, then ended; the server's order (soonest closing) within.
  var rank = { open: 0, upcoming: 1, ended: 2 };
  quizzes.slice().sort(function (a, b) { return (rank[phaseOf(a)] || 0) - (rank[phaseOf(b)] || 0); })
    .forEach(function (q) { list.appendChild(card(q)); });
  clearInterval(ticker);
  if (list.querySelector('[data-until]')) ticker = setInterval(tick, 30000);
}

function selectQuiz(q, scroll) {
  selected = q;
  var items = document.querySelectorAll('.quiz-item');
  for (var i = 0; i < items.length; i++) {
    items[i].setAttribute('aria-pressed', items[i].getAttribute('data-quiz-id') === String(q.id) ? 'true' : 'false');
  }
  $('chosen-quiz').textContent = 'Bài đã chọn: ' + q.title;
  emit('quiz-chosen', q);
  showError('');
  if (scroll) {
    var f = $('form-title');
    if (f.scrollIntoView) f.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }
}

// loadStart fetches both lists and only then shows the start screen, drawn in one go:
// the "Đang tải…" line stands alone until then, so nothing on the screen moves when the
// cards, the picker and the button arrive (a form shown first was pushed 1,100 px down).
function loadStart() {
  showError('');
  return Promise.all([fetchListJSON('/v1/quizzes'), fetchListJSON('/v1/units')]).then(function (rs) {
    var bad = rs.filter(function (r) { return r.status !== 200; })[0];
    if (bad) throw { message: errorMessage(bad) };
    quizzes = (rs[0].data && rs[0].data.quizzes) || [];
    indexUnits((rs[1].data && rs[1].data.units) || []);
    var qid = params.get('quiz');
    // A link to a quiz that is not open shows its card, not its form.
    var q = qid && quizzes.filter(function (x) { return String(x.id) === qid && phaseOf(x) === 'open'; })[0];
    show('start-screen');
    renderQuizzes();
    if (q) selectQuiz(q, false);
    var uid = params.get('unit');
    if (uid) presetUnit(uid);
    renderUnits();
    renderReceipts();
  }).catch(function (e) {
    show('start-screen');
    var list = $('quiz-list');
    list.innerHTML = '';
    showError(e && e.network ? NET_MSG : (e && e.message) || 'Có lỗi xảy ra.');
    var b = el('button', 'btn', 'Tải lại');
    b.type = 'button';
    b.addEventListener('click', loadStart);
    list.appendChild(b);
  });
}

// openStart shows the start screen for the first time and loads quizzes and units.
export function openStart() {
  startLoaded = true;
  loadStart();
}

// backToStart shows the start screen again with no quiz chosen.
export function backToStart(focus) {
  show('start-screen');
  selected = null;
  $('chosen-quiz').textContent = '';
  emit('quiz-chosen', null);
  if (startLoaded) { renderQuizzes(); renderReceipts(); }
  else { startLoaded = true; loadStart(); }
  if (focus) $('start-title').focus();
}
on('back-to-start', backToStart);
