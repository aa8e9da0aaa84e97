// The start screen's list of quizzes, the choice of one, and going back to the screen.
import { $, el, showError } from '../lib/dom.js';
import { fetchListJSON, errorMessage, NET_MSG } from '../lib/api.js';
import { dateTime, limitText } from '../lib/format.js';
import { KIND_LABEL } from '../lib/labels.js';
import { on, emit } from '../lib/events.js';
import { params, show } from './state.js';
import { indexUnits, presetUnit, renderUnits } from './units.js';

var STATUS_LABEL = { open: 'Đang mở', upcoming: 'Sắp mở', scheduled: 'Sắp mở', closed: 'Đã đóng', draft: 'Chưa mở' };

var quizzes = [];
var selected = null;
var startLoaded = false;

// selectedQuiz is the quiz chosen in the list, or null.
export function selectedQuiz() { return selected; }

function renderQuizzes() {
  var list = $('quiz-list');
  list.innerHTML = '';
  list.removeAttribute('aria-busy');
  if (!quizzes.length) {
    list.appendChild(el('p', 'muted', 'Hiện chưa có bài nào đang mở.'));
    return;
  }
  quizzes.forEach(function (q) {
    var b = el('button', 'quiz-item');
    b.type = 'button';
    b.setAttribute('data-quiz-id', q.id);
    b.setAttribute('aria-pressed', selected && selected.id === q.id ? 'true' : 'false');
    b.appendChild(el('span', 't', q.title));
    var meta = [KIND_LABEL[q.kind] || q.kind];
    if (q.questionCount) meta.push(q.questionCount + ' câu');
    if (q.timeLimitSec > 0) meta.push(limitText(q.timeLimitSec));
    var m = el('span', 'm', meta.join(' · '));
    if (q.status && STATUS_LABEL[q.status]) {
      m.appendChild(document.createTextNode(' · '));
      m.appendChild(el('span', 's' + (q.status === 'open' ? '' : ' off'), STATUS_LABEL[q.status]));
    }
    b.appendChild(m);
    if (q.closesAt && dateTime(q.closesAt)) b.appendChild(el('span', 'm', 'Hạn: ' + dateTime(q.closesAt)));
    if (q.description) b.appendChild(el('span', 'd', q.description));
    b.addEventListener('click', function () { selectQuiz(q, true); });
    list.appendChild(b);
  });
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

function loadStart() {
  showError('');
  $('quiz-list').setAttribute('aria-busy', 'true');
  return Promise.all([fetchListJSON('/v1/quizzes'), fetchListJSON('/v1/units')]).then(function (rs) {
    var bad = rs.filter(function (r) { return r.status !== 200; })[0];
    if (bad) throw { message: errorMessage(bad) };
    quizzes = (rs[0].data && rs[0].data.quizzes) || [];
    indexUnits((rs[1].data && rs[1].data.units) || []);
    var qid = params.get('quiz');
    var q = qid && quizzes.filter(function (x) { return String(x.id) === qid; })[0];
    renderQuizzes();
    if (q) selectQuiz(q, false);
    var uid = params.get('unit');
    if (uid) presetUnit(uid);
    renderUnits();
  }).catch(function (e) {
    var list = $('quiz-list');
    list.innerHTML = '';
    list.removeAttribute('aria-busy');
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
  show('start-screen');
  loadStart();
}

// backToStart shows the start screen again with no quiz chosen.
export function backToStart(focus) {
  show('start-screen');
  selected = null;
  $('chosen-quiz').textContent = '';
  emit('quiz-chosen', null);
  if (startLoaded) renderQuizzes();
  else { startLoaded = true; loadStart(); }
  if (focus) $('start-title').focus();
}
on('back-to-start', backToStart);
