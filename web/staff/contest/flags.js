// Flagged entries of the round and the organiser's decision on each, before the close and
// with a reason: keep it ("Giữ", the flags are reviewed) or disqualify it ("Loại").
import { $, el, showMsg } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { emit } from '../../lib/events.js';
import { state, roundPath, enc, td, when, serverNow } from './state.js';

export var FLAG_LABEL = {
  fast: 'Làm bài quá nhanh',
  identicalBurst: 'Nhiều bài giống hệt nhau',
  sharedDevice: 'Nhiều người trên một thiết bị',
  manyAttempts: 'Một người dự thi nhiều lượt'
};

// loadFlags loads the round's flags and resolves with them (null on failure). quiet: a
// refresh with the ranking, which says nothing while loading and leaves the table alone
// while a reason is being typed (the next refresh catches up).
export function loadFlags(quiet) {
  var seq = state.seq;
  if (!quiet) showMsg($('flags-status'), 'Đang tải…');
  return api('GET', roundPath() + '/flags').then(function (data) {
    if (seq !== state.seq) return null;
    // Entries disqualified here leave the flags (they are no longer ranked): keep their
    // rows, marked "Đã loại", so the decision stays in sight.
    var flags = data.flags || [];
    (state.flags || []).forEach(function (f) {
      if (state.disqualified[f.attemptId] && !flags.some(function (g) { return g.attemptId === f.attemptId && g.kind === f.kind; })) flags.push(f);
    });
    state.flags = flags;
    if (!(quiet && document.querySelector('#flags-table tr.reason-row'))) renderFlags(flags);
    return flags;
  }).catch(function (err) {
    if (seq !== state.seq || err.silent) return null;
    showMsg($('flags-status'), err.message, true);
    return null;
  });
}

function renderFlags(flags) {
  var tbody = $('flags-table').querySelector('tbody');
  tbody.textContent = '';
  flags.forEach(function (f) {
    var tr = el('tr');
    tr.setAttribute('data-attempt-id', f.attemptId);
    tr.setAttribute('data-kind', f.kind);
    tr.appendChild(td('kind', FLAG_LABEL[f.kind] || f.kind));
    tr.appendChild(td('detail', f.detail));
    tr.appendChild(td('name', f.name));
    tr.appendChild(td('num score', String(f.score)));
    var action = td('action');
    tr.appendChild(action);
    tbody.appendChild(tr);
    renderFlagAction(tr);
  });
  showMsg($('flags-status'), (flags.length ? '' : 'Không có bài nào cần xem xét. ') +
    (state.final ? '' : 'Tự cập nhật cùng bảng xếp hạng — lần cuối lúc ' + when(new Date(serverNow()).toISOString()) + '.'));
}

export function renderFlagAction(tr) {
  var id = tr.getAttribute('data-attempt-id');
  var cell = tr.querySelector('td.action');
  cell.textContent = '';
  if (state.disqualified[id]) {
    tr.classList.add('disqualified');
    cell.appendChild(el('span', null, 'Đã loại'));
    return;
  }
  var kept = keptOf(id);
  if (kept) {
    tr.classList.add('kept');
    cell.appendChild(el('span', 'kept-note', 'Đã giữ — ' + kept.reason));
  }
  if (state.final) {
    if (!kept) cell.appendChild(el('span', 'muted', 'Đã chốt kết quả'));
    return;
  }
  var name = tr.querySelector('td.name').textContent;
  if (!kept) {
    var k = el('button', 'btn small keep', 'Giữ');
    k.type = 'button';
    k.setAttribute('aria-label', 'Giữ bài của ' + name);
    k.addEventListener('click', function () { openDecision(tr, 'keep'); });
    cell.appendChild(k);
  }
  var b = el('button', 'btn small disqualify', 'Loại');
  b.type = 'button';
  b.setAttribute('aria-label', 'Loại bài của ' + name);
  b.addEventListener('click', function () { openDecision(tr, 'disqualify'); });
  cell.appendChild(b);
}

// keptOf is the keep decision on an entry: from this page, else as the flags say.
function keptOf(id) {
  if (state.kept[id]) return state.kept[id];
  var f = (state.flags || []).filter(function (g) { return g.attemptId === id && g.kept; })[0];
  return f ? f.kept : null;
}

var DECISION = {
  keep: { label: 'Lý do giữ bài (được ghi vào hồ sơ)', ok: 'Xác nhận giữ', okClass: 'confirm-keep', empty: 'Vui lòng ghi lý do giữ bài.', done: 'Đã giữ bài của ' },
  disqualify: { label: 'Lý do loại bài (được ghi vào hồ sơ)', ok: 'Xác nhận loại', okClass: 'confirm-disqualify', empty: 'Vui lòng ghi lý do loại bài.', done: 'Đã loại bài của ' }
};

// openDecision asks the reason of a keep or a disqualification in a form under the
// flagged row.
function openDecision(tr, kind) {
  var id = tr.getAttribute('data-attempt-id');
  var d = DECISION[kind];
  var open = document.querySelector('#flags-table tr.reason-row');
  if (open) open.remove();
  var row = el('tr', 'reason-row');
  row.setAttribute('data-for', id);
  row.setAttribute('data-decision', kind);
  var cell = el('td');
  cell.colSpan = 5;
  var form = el('form', 'inline-form');
  form.noValidate = true;
  var field = el('div', 'field');
  var inputId = 'reason-' + id;
  var lab = el('label', null, d.label);
  lab.htmlFor = inputId;
  var inp = el('input', 'reason');
  inp.type = 'text';
  inp.id = inputId;
  inp.maxLength = 500;
  inp.required = true;
  field.appendChild(lab);
  field.appendChild(inp);
  var ok = el('button', 'btn small primary ' + d.okClass, d.ok);
  ok.type = 'submit';
  var cancel = el('button', 'btn small', 'Hủy');
  cancel.type = 'button';
  var msg = el('p', 'error');
  msg.hidden = true;
  msg.setAttribute('role', 'alert');
  form.appendChild(field);
  form.appendChild(ok);
  form.appendChild(cancel);
  form.appendChild(msg);
  cell.appendChild(form);
  row.appendChild(cell);
  tr.parentNode.insertBefore(row, tr.nextSibling);
  inp.focus();
  cancel.addEventListener('click', function () {
    row.remove();
    var b = tr.querySelector('button.' + kind);
    if (b) b.focus();
  });
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var reason = inp.value.trim();
    if (!reason) { showMsg(msg, d.empty); inp.focus(); return; }
    ok.disabled = true;
    api('POST', '/v1/admin/contests/' + enc(state.contest.id) + '/entries/' + enc(id) + '/' + kind, { reason: reason }).then(function (dec) {
      if (kind === 'keep') state.kept[id] = { by: dec.by, at: dec.at, reason: dec.reason };
      else state.disqualified[id] = true;
      row.remove();
      var rows = document.querySelectorAll('#flags-table tbody tr[data-attempt-id]');
      for (var i = 0; i < rows.length; i++) if (rows[i].getAttribute('data-attempt-id') === id) renderFlagAction(rows[i]);
      showMsg($('flags-status'), d.done + tr.querySelector('td.name').textContent + '. Lý do: ' + reason);
      if (kind === 'disqualify') emit('disqualified');
    }).catch(function (err) {
      ok.disabled = false;
      if (!err.silent) showMsg(msg, err.message);
    });
  });
}
$('flags-refresh').addEventListener('click', function () { loadFlags(false); });
