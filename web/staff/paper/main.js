// Paper sheets and assisted entry: print a village's sheets, enter them with
// the keyboard (kept offline and sent when the network is back), upload a meeting's
// file, and watch the village's running count. Native ES modules, no build.
import { $, el, showMsg, showError } from '../../lib/dom.js';
import { api, sendFile, errorOf } from '../../lib/api.js';
import { renderWho } from '../../lib/session.js';
import { startStaffPage } from '../../lib/staffpage.js';
import { buildUnits, unitOption } from '../../lib/units.js';
import { questionKind, SCALE_VALUES } from '../../lib/labels.js';
import { renderSheets } from './print.js';
import { queued, failed, enqueue, flush } from './queue.js';

var KEY_PRINTS = 'nq58.paper.prints'; // printId → print view (questions and codes), for offline entry
var RETRY_MS = 3000;

var state = { me: null, units: {}, quizId: '', sheet: null, step: '', qi: 0, answers: {}, gender: '', birth: 0, entered: 0, sent: 0,
  blankAsked: -1, // the question whose Enter without an answer was asked about, -1 when none
  counted: {} // quizId|unitId → {base: the server's last counts, paper, assisted: sheets sent since}
};
var CHANNEL_COLUMN = { paper: 'paper', assisted: 'assisted' };

var signOut = startStaffPage({
  page: 'app',
  forbidden: 'Tài khoản không có quyền thực hiện việc này.',
  signedOut: function () { state.me = null; },
  start: start
});

// ---- prints kept on this computer

function prints() {
  try { return JSON.parse(localStorage.getItem(KEY_PRINTS) || '{}') || {}; } catch (e) { return {}; }
}
function keepPrint(v) {
  var all = prints();
  all[v.printId] = v;
  localStorage.setItem(KEY_PRINTS, JSON.stringify(all));
}
function printOf(code) {
  var all = prints();
  for (var id in all) if (all[id].codes && all[id].codes.indexOf(code) >= 0) return all[id];
  return null;
}

// ---- print

$('print-form').addEventListener('submit', function (ev) {
  ev.preventDefault();
  showMsg($('print-status'), 'Đang tạo phiếu…');
  $('p-print').disabled = true;
  api('POST', '/v1/paper/prints', { quizId: $('p-quiz').value, unitId: $('p-unit').value,
    count: parseInt($('p-count').value, 10) || 0, variant: $('p-variant').value, siteUrl: location.origin }).then(function (v) {
    keepPrint(v);
    showMsg($('print-status'), 'Đã tạo ' + v.codes.length + ' phiếu. Bấm “In” để in ra giấy A4.');
    $('app').hidden = true;
    renderSheets($('print-area'), v, function () {
      $('print-area').hidden = true;
      $('app').hidden = false;
    });
    $('print-now').focus();
  }).catch(function (err) {
    showMsg($('print-status'), err.message, true);
  }).then(function () { $('p-print').disabled = false; });
});

// ---- entry

function normCode(s) { return s.toUpperCase().replace(/[\s-]/g, ''); }

function message(msg, isError) { showMsg($('e-msg'), msg, isError); }

$('e-code').addEventListener('keydown', function (ev) {
  if (ev.key !== 'Enter') return;
  ev.preventDefault();
  var code = normCode($('e-code').value);
  if (!code) return;
  var v = printOf(code);
  if (v) return open(code, v);
  message('Đang tải phiếu ' + code + '…');
  api('GET', '/v1/paper/sheets/' + encodeURIComponent(code)).then(function (s) {
    keepPrint(s.print);
    if (s.entry) {
      message('Phiếu ' + code + ' đã được nhập (' + s.entry.enteredBy + '). Nhập lại cùng nội dung không tính thêm.');
    }
    open(code, s.print);
  }).catch(function (err) {
    message(err.status === 0 ? 'Mã ' + code + ' chưa có trên máy này; cần mạng để tải phiếu lần đầu.' : err.message, true);
  });
});

function open(code, v) {
  state.sheet = { code: code, print: v };
  state.answers = {};
  state.blankAsked = -1;
  state.gender = '';
  state.qi = 0;
  state.quizId = v.quizId;
  if (!$('e-msg').classList.contains('error')) message('');
  $('e-sheet').hidden = false;
  $('e-head').textContent = 'Phiếu ' + code + ' — ' + v.unitName + ' — ' + v.quizTitle;
  $('e-birth').disabled = false;
  $('e-birth').value = '';
  $('e-step').textContent = 'Năm sinh: gõ 4 chữ số rồi Enter (Enter để bỏ qua).';
  $('e-birth').focus();
}

$('e-birth').addEventListener('keydown', function (ev) {
  if (ev.key !== 'Enter' || !state.sheet) return;
  ev.preventDefault();
  var y = $('e-birth').value.trim();
  if (y && !/^\d{4}$/.test(y)) { message('Năm sinh gồm 4 chữ số.', true); return; }
  state.birth = y ? parseInt(y, 10) : 0;
  state.step = 'gender';
  renderStep();
});

var GENDERS = { '1': 'male', '2': 'female', '3': 'other', '0': '' };

function questions() {
  return state.sheet.print.questions.filter(function (q) { return questionKind(q.kind).paper; });
}

function renderStep() {
  var box = $('e-step');
  box.textContent = '';
  if (state.step === 'gender') {
    box.appendChild(el('p', null, 'Giới tính: phím 1 Nam · 2 Nữ · 3 Khác · 0 bỏ qua'));
  } else {
    var qs = questions();
    var q = qs[state.qi];
    box.appendChild(el('p', 'q-title', 'Câu ' + q.n + '/' + qs.length + ': ' + q.text));
    var list = el('ol');
    var a = state.answers[q.id] || [];
    var scale = questionKind(q.kind).answer === 'value';
    var opts = scale ? SCALE_VALUES.map(function (v) { return { id: v, letter: v, text: '' }; }) : q.options;
    opts.forEach(function (o, i) {
      var li = el('li', a.indexOf(o.id) >= 0 ? 'on' : null);
      li.appendChild(el('span', 'key', String(i + 1)));
      li.appendChild(document.createTextNode(scale ? o.letter : o.letter + '. ' + o.text));
      list.appendChild(li);
    });
    box.appendChild(list);
    box.appendChild(el('p', 'hint', questionKind(q.kind).multiple ? 'Bấm số để chọn/bỏ từng ô; Enter sang câu sau; ← câu trước.' :
      'Bấm số để chọn; Enter sang câu sau; ← câu trước.'));
    if (state.blankAsked === state.qi) {
      // Asked in the step itself, which the collector is looking at and which keeps the
      // keyboard: a dialog would take the focus away from the digits.
      var ask = el('p', 'ask-blank', 'Để trống câu ' + q.n + '? Bấm Enter lần nữa để để trống, hoặc bấm số để chọn phương án.');
      ask.setAttribute('role', 'alert');
      box.appendChild(ask);
    }
  }
  box.focus();
}

$('e-step').addEventListener('keydown', function (ev) {
  if (!state.sheet || !state.step) return;
  if (state.step === 'gender') {
    if (ev.key in GENDERS) {
      ev.preventDefault();
      state.gender = GENDERS[ev.key];
      state.step = 'q';
      state.qi = 0;
      if (!questions().length) return finish();
      renderStep();
    }
    return;
  }
  var qs = questions();
  var q = qs[state.qi];
  if (/^[1-9]$/.test(ev.key)) {
    ev.preventDefault();
    var i = parseInt(ev.key, 10) - 1;
    var ids = questionKind(q.kind).answer === 'value' ? SCALE_VALUES : q.options.map(function (o) { return o.id; });
    if (i >= ids.length) return;
    var cur = state.answers[q.id] || [];
    if (questionKind(q.kind).multiple) {
      cur = cur.indexOf(ids[i]) >= 0 ? cur.filter(function (x) { return x !== ids[i]; }) : cur.concat([ids[i]]);
    } else {
      cur = [ids[i]];
    }
    state.answers[q.id] = cur;
    state.blankAsked = -1;
    renderStep();
  } else if (ev.key === 'Enter') {
    ev.preventDefault();
    // An Enter without a digit is often a missed key: the first one asks, a second
    // one leaves the question blank.
    if (!(state.answers[q.id] || []).length && state.blankAsked !== state.qi) {
      state.blankAsked = state.qi;
      renderStep();
      return;
    }
    state.blankAsked = -1;
    if (state.qi + 1 < qs.length) { state.qi++; renderStep(); } else finish();
  } else if (ev.key === 'ArrowLeft' || ev.key === 'Backspace') {
    ev.preventDefault();
    state.blankAsked = -1;
    if (state.qi > 0) { state.qi--; renderStep(); }
  }
});

// finish keeps the sheet in the queue (so nothing is lost if the page closes), then
// tries to send it, and goes back to the code for the next sheet.
function finish() {
  var answers = [], blanks = [];
  questions().forEach(function (q) {
    var a = state.answers[q.id];
    if (!a || !a.length) { blanks.push(q.n); return; }
    if (questionKind(q.kind).answer === 'value') answers.push({ questionId: q.id, value: parseInt(a[0], 10) });
    else answers.push({ questionId: q.id, optionIds: a });
  });
  var body = { channel: $('e-channel').value, answers: answers };
  if (state.birth) body.birthYear = state.birth;
  if (state.gender) body.gender = state.gender;
  var code = state.sheet.code, print = state.sheet.print;
  enqueue(code, body);
  sentFrom[code] = { quizId: print.quizId, unitId: print.unitId, channel: body.channel };
  state.entered++;
  state.sheet = null;
  state.step = '';
  $('e-sheet').hidden = true;
  $('e-birth').disabled = true;
  $('e-birth').value = '';
  $('e-code').value = '';
  message('Đã lưu phiếu ' + code + ' (' + print.unitName + ') trên máy: ' + answers.length + ' câu đã trả lời, ' +
    (blanks.length ? blanks.length + ' câu để trống (câu ' + blanks.join(', ') + ')' : 'không câu nào để trống') + '.');
  counts();
  $('e-code').focus();
  send();
}

function counts() {
  $('c-entered').textContent = String(state.entered);
  $('c-queued').textContent = String(queued().length);
  $('c-sent').textContent = String(state.sent);
  var list = $('e-failed');
  list.textContent = '';
  failed().forEach(function (f) { list.appendChild(el('li', null, 'Phiếu ' + f.code + ': ' + f.message)); });
}

function setNet(ok) {
  var n = $('c-net');
  n.textContent = ok ? '' : 'Mất kết nối — phiếu được giữ trên máy và tự gửi lại.';
  n.className = ok ? 'net' : 'net off';
}

function send() {
  if (!queued().length) return Promise.resolve();
  return flush(function (r) {
    if (r.ok) {
      state.sent++;
      setNet(true);
      if (r.status === 201) countAtOnce(r.code);
      // 200: the server had this sheet with the same content; nothing is counted again.
      if (r.status === 200) message('Phiếu ' + r.code + ' đã có trên máy chủ với cùng nội dung: không tính thêm.');
    } else if (r.status === 0) setNet(false);
    counts();
  }).then(function (done) {
    counts();
    if (done) return progress();
  }).catch(function () {});
}

setInterval(function () { if (state.me && queued().length) send(); }, RETRY_MS);
window.addEventListener('online', function () { send(); });

// ---- running count

// The server counts a sheet when its aggregator has read the stream, seconds later
// (batches of up to 20 s), so the page adds the sheets it sent since the last answer
// until the server's count has caught up with them.
var sentFrom = {}; // code → {quizId, unitId, channel} of the sheets entered here

function countAtOnce(code) {
  var s = sentFrom[code];
  delete sentFrom[code];
  if (!s || !CHANNEL_COLUMN[s.channel]) return;
  var c = state.counted[s.quizId + '|' + s.unitId];
  if (!c) return; // no count shown yet for this quiz and village: the next answer has it
  c[s.channel]++;
  if (s.quizId === (state.quizId || $('p-quiz').value)) showCount(s.unitId, c);
}

// shown is what a village's row shows: the server's counts, or more while the sheets
// sent from here are not yet in them.
function shown(c) {
  return { participants: Math.max(c.server.participants, c.base.participants + c.paper + c.assisted),
    paper: Math.max(c.server.paper, c.base.paper + c.paper), assisted: Math.max(c.server.assisted, c.base.assisted + c.assisted) };
}

function showCount(unitId, c) {
  var tr = $('progress').querySelector('tr[data-unit="' + unitId + '"]');
  if (!tr) return;
  var n = shown(c);
  [n.participants, n.paper, n.assisted].forEach(function (x, i) { tr.cells[i + 1].textContent = x.toLocaleString('vi-VN'); });
}

// remember keeps the server's counts of a village; once they reach what the page showed,
// the sheets sent from here are in them and the page adds nothing more.
function remember(quizId, v) {
  var key = quizId + '|' + v.unitId;
  var server = { participants: v.participants, paper: v.paper, assisted: v.assisted };
  var c = state.counted[key];
  if (!c || (server.paper >= c.base.paper + c.paper && server.assisted >= c.base.assisted + c.assisted)) {
    c = state.counted[key] = { base: server, server: server, paper: 0, assisted: 0 };
  }
  c.server = server;
  return c;
}

function progress() {
  var quizId = state.quizId || $('p-quiz').value;
  if (!quizId) return Promise.resolve();
  return api('GET', '/v1/paper/progress?quizId=' + encodeURIComponent(quizId)).then(function (p) {
    var body = $('progress').tBodies[0];
    body.textContent = '';
    p.villages.forEach(function (v) {
      var tr = el('tr');
      tr.setAttribute('data-unit', v.unitId);
      tr.appendChild(el('th', null, v.name));
      [0, 1, 2].forEach(function () { tr.appendChild(el('td', 'n')); });
      body.appendChild(tr);
      showCount(v.unitId, remember(quizId, v));
    });
  }).catch(function (err) {
    if (err && err.status !== 0) showError(err.message);
  });
}

$('p-quiz').addEventListener('change', function () { state.quizId = $('p-quiz').value; progress(); });

// ---- upload

$('upload-form').addEventListener('submit', function (ev) {
  ev.preventDefault();
  var f = $('u-file').files[0];
  var list = $('u-errors');
  list.textContent = '';
  if (!f) { showMsg($('u-status'), 'Hãy chọn tệp CSV hoặc Excel.', true); return; }
  showMsg($('u-status'), 'Đang tải lên…');
  var xlsx = /\.xlsx$/i.test(f.name);
  f.arrayBuffer().then(function (buf) {
    return uploadFile(buf, xlsx ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv');
  }).then(function (r) {
    if (r.rows) {
      showMsg($('u-status'), r.message + ': không phiếu nào được nhập.', true);
      r.rows.forEach(function (e) {
        list.appendChild(el('li', null, 'Dòng ' + e.row + (e.column ? ', cột ' + e.column : '') + ': ' + e.message));
      });
      return;
    }
    showMsg($('u-status'), 'Đã nhập ' + r.entered + ' phiếu' + (r.unchanged ? ', ' + r.unchanged + ' phiếu đã có từ trước' : '') + '.');
    return progress();
  }).catch(function (err) { showMsg($('u-status'), err.message, true); });
});

// uploadFile posts the file's bytes; a 422 with row errors resolves {message, rows}.
function uploadFile(buf, type) {
  return sendFile('/v1/paper/uploads', buf, type).then(function (r) {
    if (r.status === 422 && r.data && r.data.rows) return { message: r.data.error.message, rows: r.data.rows };
    if (r.status !== 200) throw errorOf(r.status, r.data);
    return r.data;
  });
}

// ---- start

function start() {
  showError('');
  $('signin-screen').hidden = true;
  Promise.all([api('GET', '/v1/admin/me'), api('GET', '/v1/units'), api('GET', '/v1/quizzes')]).then(function (r) {
    state.me = r[0];
    var b = buildUnits(r[1].units || [], state.me.scopeUnitId);
    state.units = b.units;
    renderWho(state.me, state.units);
    var hasKids = {};
    (r[1].units || []).forEach(function (u) { if (u.parentId) hasKids[u.parentId] = true; });
    var sel = $('p-unit');
    sel.textContent = '';
    b.scopeUnits.forEach(function (e) { if (!hasKids[e.unit.id]) sel.appendChild(unitOption({ unit: e.unit, depth: 0 })); });
    var qsel = $('p-quiz');
    qsel.textContent = '';
    (r[2].quizzes || []).forEach(function (q) {
      if (q.kind === 'contest') return; // contests take no paper sheets
      var o = el('option', null, q.title);
      o.value = q.id;
      qsel.appendChild(o);
    });
    state.quizId = qsel.value;
    $('app').hidden = false;
    counts();
    progress();
    send();
  }).catch(function (err) {
    if (err && err.silent) return;
    signOut(err && err.message ? err.message : 'Không tải được trang.');
  });
}
