// A random-sample survey: create a sample of a quiz in a unit, upload its frame, draw it
// once (seed and frame SHA-256 shown), print one sheet per drawn code, record outcomes
// and sheets, and see the sample's own figures. Native ES modules, no build.
import { $, el, showMsg, showError } from '../../lib/dom.js';
import { api, sendFile, errorOf, download } from '../../lib/api.js';
import { renderWho, can } from '../../lib/session.js';
import { startStaffPage } from '../../lib/staffpage.js';
import { buildUnits, unitOption } from '../../lib/units.js';
import { int, pct, pctRange, dmy } from '../../lib/format.js';
import { renderSheets } from '../paper/print.js';

var OUTCOMES = [
  ['absent', 'Vắng nhà'],
  ['refused', 'Từ chối'],
  ['moved', 'Đã chuyển đi (không thuộc diện)'],
  ['other', 'Lý do khác']
];
var OUTCOME_LABEL = {};
OUTCOMES.forEach(function (o) { OUTCOME_LABEL[o[0]] = o[1]; });

var state = { me: null, units: {}, sample: null, sheets: null, code: '' };

var signOut = startStaffPage({
  page: 'app',
  forbidden: 'Tài khoản không có quyền thực hiện việc này.',
  signedOut: function () { state.me = null; state.sample = null; },
  start: start
});

function fail(node) {
  return function (err) { if (!err || !err.silent) showMsg(node, err.message, true); };
}

// ---- quiz and sample choice

function listSamples(selectId) {
  var quizId = $('s-quiz').value;
  if (!quizId) return Promise.resolve();
  return api('GET', '/v1/admin/samples?quizId=' + encodeURIComponent(quizId)).then(function (r) {
    var sel = $('s-pick');
    sel.textContent = '';
    var none = el('option', null, r.samples.length ? '— chọn một mẫu —' : '(chưa có mẫu nào)');
    none.value = '';
    sel.appendChild(none);
    r.samples.forEach(function (s) {
      var o = el('option', null, s.unitName + ' — tạo ngày ' + dmy(s.createdAt));
      o.value = s.sampleId;
      sel.appendChild(o);
    });
    sel.value = selectId || '';
    return selectId ? openSample(selectId) : hideSample();
  }).catch(fail($('create-status')));
}

function hideSample() { state.sample = null; $('sample').hidden = true; }

$('s-quiz').addEventListener('change', function () { listSamples(''); });
$('s-pick').addEventListener('change', function () {
  if ($('s-pick').value) openSample($('s-pick').value); else hideSample();
});

$('create-form').addEventListener('submit', function (ev) {
  ev.preventDefault();
  var body = { quizId: $('s-quiz').value, unitId: $('c-unit').value };
  var v = parseFloat($('c-value').value);
  if ($('c-mode').value === 'perVillage') body.perVillage = Math.round(v); else body.marginOfError = v;
  $('c-create').disabled = true;
  api('POST', '/v1/admin/samples', body).then(function (s) {
    showMsg($('create-status'), 'Đã tạo mẫu. Hãy tải lên khung mẫu.');
    return listSamples(s.sampleId);
  }).catch(fail($('create-status'))).then(function () { $('c-create').disabled = false; });
});

// ---- one sample

function openSample(id) {
  return api('GET', '/v1/admin/samples/' + encodeURIComponent(id)).then(function (s) {
    state.sample = s;
    render(s);
    return s.drawnAt ? figures() : null;
  }).catch(fail($('create-status')));
}

function fact(dl, term, value, code) {
  dl.appendChild(el('dt', null, term));
  var dd = el('dd', null, code ? '' : value);
  if (code) dd.appendChild(el('code', null, value));
  dl.appendChild(dd);
}

function render(s) {
  $('sample').hidden = false;
  $('sample-title').textContent = 'Mẫu ngẫu nhiên: ' + s.quizTitle + ' — ' + s.unitName;
  var dl = $('facts');
  dl.textContent = '';
  fact(dl, 'Cỡ mẫu', s.perVillage ? s.perVillage + ' hộ mỗi thôn' : 'sai số ±' + s.marginOfError + ' điểm % (độ tin cậy 95 %), tính theo từng thôn');
  fact(dl, 'Khung mẫu (SHA-256)', s.frameSha256 || 'chưa tải lên', !!s.frameSha256);
  fact(dl, 'Hạt giống', s.seed || 'chưa rút thăm', !!s.seed);
  fact(dl, 'Rút thăm', s.drawnAt ? 'ngày ' + dmy(s.drawnAt) + ', ' + int(s.drawnTotal) + ' mã' : 'chưa rút thăm');
  $('frame-form').hidden = !!s.drawnAt;
  $('draw-form').hidden = !!s.drawnAt || !s.frameSha256;

  var vt = $('villages').tBodies[0];
  vt.textContent = '';
  var ct = $('codes').tBodies[0];
  ct.textContent = '';
  s.villages.forEach(function (v) {
    var tr = el('tr');
    tr.appendChild(el('th', null, v.name)).scope = 'row';
    tr.appendChild(el('td', 'num', int(v.frameSize)));
    tr.appendChild(el('td', 'num', int(v.size)));
    tr.appendChild(el('td', 'num', int((v.codes || []).length)));
    var td = el('td');
    if (s.drawnAt && (v.codes || []).length) {
      var b = el('button', 'btn small', 'In ' + v.codes.length + ' phiếu');
      b.type = 'button';
      b.addEventListener('click', function () { printVillage(v); });
      td.appendChild(b);
    }
    tr.appendChild(td);
    vt.appendChild(tr);
    (v.codes || []).forEach(function (c) { ct.appendChild(codeRow(v, c)); });
  });
}

function status(c) {
  if (c.response) return 'Đã trả lời';
  if (c.outcome) return OUTCOME_LABEL[c.outcome] || c.outcome;
  return 'Chưa đến';
}

function codeRow(v, c) {
  var tr = el('tr');
  tr.appendChild(el('td', null, v.name));
  tr.appendChild(el('td', 'num', int(c.order + 1)));
  tr.appendChild(el('td', null, '')).appendChild(el('code', null, c.code));
  tr.appendChild(el('td', null, status(c)));
  var td = el('td');
  if (!c.response) {
    var sel = el('select');
    sel.setAttribute('aria-label', 'Lý do không trả lời của mã ' + c.code);
    OUTCOMES.forEach(function (o) {
      var opt = el('option', null, o[1]);
      opt.value = o[0];
      sel.appendChild(opt);
    });
    if (c.outcome) sel.value = c.outcome;
    var save = el('button', 'btn small', 'Ghi lý do');
    save.type = 'button';
    save.addEventListener('click', function () {
      api('POST', '/v1/admin/samples/' + state.sample.sampleId + '/outcomes', { code: c.code, outcome: sel.value }).then(function () {
        showMsg($('o-status'), 'Đã ghi: ' + c.code + ' — ' + OUTCOME_LABEL[sel.value] + '.');
        return openSample(state.sample.sampleId);
      }).catch(fail($('o-status')));
    });
    td.appendChild(sel);
    td.appendChild(save);
    if (!c.outcome) {
      var enter = el('button', 'btn small', 'Nhập phiếu');
      enter.type = 'button';
      enter.addEventListener('click', function () { openResponse(c.code); });
      td.appendChild(enter);
    }
  }
  tr.appendChild(td);
  return tr;
}

// ---- frame and draw

$('frame-form').addEventListener('submit', function (ev) {
  ev.preventDefault();
  var f = $('f-file').files[0];
  if (!f) { showMsg($('f-status'), 'Hãy chọn tệp khung mẫu.', true); return; }
  $('f-errors').textContent = '';
  f.arrayBuffer().then(function (buf) {
    var type = /\.xlsx$/i.test(f.name) ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv';
    return sendFile('/v1/admin/samples/' + state.sample.sampleId + '/frame', buf, type, 'PUT');
  }).then(function (r) {
    if (r.status === 200) {
      showMsg($('f-status'), 'Đã nhận khung mẫu: ' + int(r.data.total) + ' mã ở ' + r.data.villages.length + ' thôn.');
      return openSample(state.sample.sampleId);
    }
    var e = errorOf(r.status, r.data);
    showMsg($('f-status'), e.message, true);
    ((r.data && r.data.rows) || []).forEach(function (x) {
      $('f-errors').appendChild(el('li', null, 'Dòng ' + x.row + (x.column ? ', cột ' + x.column : '') + ': ' + x.message));
    });
  }).catch(fail($('f-status')));
});

$('draw-form').addEventListener('submit', function (ev) {
  ev.preventDefault();
  var seed = $('d-seed').value.trim();
  $('d-draw').disabled = true;
  api('POST', '/v1/admin/samples/' + state.sample.sampleId + '/draw', seed ? { seed: seed } : {}).then(function (s) {
    showMsg($('d-status'), 'Đã rút ' + int(s.drawnTotal) + ' mã. Hạt giống: ' + s.seed + ' · SHA-256 khung mẫu: ' + s.frameSha256);
    state.sample = s;
    render(s);
    return figures();
  }).catch(fail($('d-status'))).then(function () { $('d-draw').disabled = false; });
});

// ---- sheets

function sheetsOf(unitId) {
  return api('GET', '/v1/admin/samples/' + state.sample.sampleId + '/sheets' + (unitId ? '?unitId=' + encodeURIComponent(unitId) : ''));
}

function printVillage(v) {
  sheetsOf(v.unitId).then(function (sv) {
    var view = { quizTitle: sv.quizTitle + ' (khảo sát ' + sv.label + ')', unitName: v.name, date: dmy(new Date().toISOString()),
      variant: 'full', questions: sv.questions, codes: sv.sheets.map(function (s) { return s.code; }) };
    $('app').hidden = true;
    renderSheets($('print-area'), view, function () {
      $('print-area').hidden = true;
      $('app').hidden = false;
    });
    $('print-now').focus();
  }).catch(fail($('o-status')));
}

function openResponse(code) {
  var go = state.sheets ? Promise.resolve(state.sheets) : sheetsOf('');
  go.then(function (sv) {
    state.sheets = sv;
    state.code = code;
    $('resp-title').textContent = 'Nhập phiếu của mã ' + code;
    var box = $('resp-questions');
    box.textContent = '';
    sv.questions.forEach(function (q) {
      if (!q.options.length) return;
      var f = el('div', 'field');
      var id = 'r-' + q.id;
      var lab = el('label', null, 'Câu ' + q.n + '. ' + q.text);
      lab.htmlFor = id;
      var sel = el('select');
      sel.id = id;
      sel.setAttribute('data-question', q.id);
      var blank = el('option', null, '— bỏ trống —');
      blank.value = '';
      sel.appendChild(blank);
      q.options.forEach(function (o) {
        var opt = el('option', null, o.letter + '. ' + o.text);
        opt.value = o.id;
        sel.appendChild(opt);
      });
      f.appendChild(lab);
      f.appendChild(sel);
      box.appendChild(f);
    });
    $('resp-form').hidden = false;
    $('resp-form').scrollIntoView();
  }).catch(fail($('o-status')));
}

$('resp-cancel').addEventListener('click', function () { $('resp-form').hidden = true; });

$('resp-form').addEventListener('submit', function (ev) {
  ev.preventDefault();
  var answers = [];
  $('resp-questions').querySelectorAll('select').forEach(function (s) {
    if (s.value) answers.push({ questionId: s.getAttribute('data-question'), optionIds: [s.value] });
  });
  api('PUT', '/v1/admin/samples/' + state.sample.sampleId + '/responses/' + encodeURIComponent(state.code), { answers: answers }).then(function (r) {
    $('resp-form').hidden = true;
    showMsg($('o-status'), 'Đã lưu phiếu của mã ' + r.code + ': ' + r.score + '/' + r.maxScore + ' điểm.');
    return openSample(state.sample.sampleId);
  }).catch(fail($('o-status')));
});

// ---- figures

function figures() {
  return api('GET', '/v1/reports/awareness?sampleId=' + encodeURIComponent(state.sample.sampleId)).then(function (r) {
    var tb = $('figures').tBodies[0];
    tb.textContent = '';
    r.rows.forEach(function (row) {
      var tr = el('tr');
      tr.appendChild(el('th', null, row.name)).scope = 'row';
      [int(row.frameSize), int(row.drawn), int(row.responded), int(row.moved), pct(row.responseRate), pct(row.passRate), pct(row.meanScore)]
        .forEach(function (x) { tr.appendChild(el('td', 'num', x)); });
      tb.appendChild(tr);
    });
    var w = r.total.weighted;
    $('weighted').textContent = 'Toàn ' + r.unitName + ' (' + r.label + ', có trọng số theo khung mẫu): tỷ lệ đạt ' + pct(w.passRate) +
      ' (khoảng tin cậy 95 %: ' + pctRange(w.passRateCi95) + '), điểm trung bình ' + pct(w.meanScore) +
      '; tỷ lệ trả lời (AAPOR RR1) ' + pct(r.total.responseRate) + ', ' + int(r.total.responded) + '/' + int(r.total.drawn) + ' mã đã rút.';
  }).catch(fail($('o-status')));
}

function exportAs(format) {
  download('/v1/reports/awareness?format=' + format + '&sampleId=' + encodeURIComponent(state.sample.sampleId), 'mau-ngau-nhien.' + format)
    .catch(fail($('o-status')));
}
$('x-csv').addEventListener('click', function () { exportAs('csv'); });
$('x-xlsx').addEventListener('click', function () { exportAs('xlsx'); });

// ---- start

function start() {
  showError('');
  $('signin-screen').hidden = true;
  Promise.all([api('GET', '/v1/admin/me'), api('GET', '/v1/units'), api('GET', '/v1/quizzes')]).then(function (r) {
    state.me = r[0];
    var b = buildUnits(r[1].units || [], state.me.scopeUnitId);
    state.units = b.units;
    renderWho(state.me, state.units);
    $('app').hidden = false;
    if (!can(state.me, 'run-samples')) {
      $('no-right').hidden = false;
      $('create-form').hidden = true;
      return;
    }
    var usel = $('c-unit');
    usel.textContent = '';
    b.scopeUnits.forEach(function (e) { usel.appendChild(unitOption(e)); });
    var qsel = $('s-quiz');
    qsel.textContent = '';
    (r[2].quizzes || []).forEach(function (q) {
      if (q.kind === 'contest') return; // a contest is not surveyed by sample
      var o = el('option', null, q.title);
      o.value = q.id;
      qsel.appendChild(o);
    });
    return listSamples('');
  }).catch(function (err) {
    if (err && err.silent) return;
    signOut(err && err.message ? err.message : 'Không tải được trang.');
  });
}
