// The activity log: the form recording an activity of informing (plan II.2) and the
// table of activities in the chosen unit and months.
import { $, el, showMsg } from '../lib/dom.js';
import { api } from '../lib/api.js';
import { int, dmy, today, lastDayOf } from '../lib/format.js';
import { TOPIC_CODES, TOPIC_LABEL } from '../lib/labels.js';
import { state } from './state.js';
import { load } from './sections.js';
import { cell, setSortValues, sortTable, sortState } from './tables.js';
import { filters } from './filterform.js';

// The plan's forms of informing (II.2).
var ACTIVITY_TYPES = [
  ['portal', 'Bài trên trang thông tin điện tử'],
  ['loudspeaker', 'Phát thanh trên loa xã, thôn'],
  ['visual', 'Tuyên truyền trực quan (pano, áp phích)'],
  ['conference', 'Hội nghị, sinh hoạt cộng đồng'],
  ['cultural', 'Hoạt động văn hóa, văn nghệ'],
  ['contest', 'Hội thi'],
  ['mobile', 'Thông tin lưu động'],
  ['other', 'Khác']
];
var ACTIVITY_LABEL = Object.fromEntries(ACTIVITY_TYPES);
// Written by paper-sheet entry sessions (internal/paper/sheets), never chosen in the form.
ACTIVITY_LABEL.paper = 'Thu và nhập phiếu giấy';

// fillActivityForm fills the form's types, topics and date.
export function fillActivityForm() {
  var sel = $('activity-type');
  sel.textContent = '';
  var o = el('option', null, '— Chọn hình thức —');
  o.value = '';
  sel.appendChild(o);
  ACTIVITY_TYPES.forEach(function (t) {
    var opt = el('option', null, t[1]);
    opt.value = t[0];
    sel.appendChild(opt);
  });
  var box = $('activity-topics');
  box.textContent = '';
  TOPIC_CODES.forEach(function (code) {
    var id = 'activity-topic-' + code;
    var label = el('label', 'check');
    label.htmlFor = id;
    var input = el('input');
    input.type = 'checkbox';
    input.name = 'activity-topic';
    input.value = code;
    input.id = id;
    label.appendChild(input);
    label.appendChild(el('span', null, code + '. ' + TOPIC_LABEL[code]));
    box.appendChild(label);
  });
  $('activity-date').value = today();
  $('activity-date').max = today();
  $('activity-save').disabled = false; // disabled in the page until this module handles the form
}

// loadActivities loads the activities of the filters' unit and months.
export function loadActivities() {
  var f = filters();
  if (!f) return null;
  return load('activities', '/v1/activities', {
    unitId: f.unit, from: f.from ? f.from + '-01' : '', to: f.to ? lastDayOf(f.to) : ''
  }, renderActivities);
}

function renderActivities(data) {
  var table = $('activities-table');
  var tbody = table.tBodies[0];
  tbody.textContent = '';
  var list = data.activities || [];
  list.forEach(function (a) {
    var tr = document.createElement('tr');
    tr.setAttribute('data-id', a.id);
    var unit = state.units[a.unitId];
    cell(tr, 'td', 'date', dmy(a.date));
    cell(tr, 'td', 'unit', unit ? unit.name : a.unitId);
    cell(tr, 'td', 'type', ACTIVITY_LABEL[a.type] || a.type);
    var topics = a.topics || [];
    var tc = cell(tr, 'td', 'topics');
    tc.appendChild(el('span', null, topics.join(', ') || '—'));
    tc.title = topics.map(function (t) { return t + '. ' + (TOPIC_LABEL[t] || t); }).join('; ');
    if (topics.length) tc.appendChild(el('span', 'visually-hidden', ' (' + tc.title + ')'));
    cell(tr, 'td', 'num audience', a.audience ? int(a.audience) : '—');
    cell(tr, 'td', 'note', a.note || '');
    cell(tr, 'td', 'by', a.createdBy || '');
    setSortValues(tr, {
      date: a.date + ' ' + (a.createdAt || ''), unit: unit ? unit.name : a.unitId, type: ACTIVITY_LABEL[a.type] || a.type,
      topics: topics.join(',') || null, audience: a.audience || null, note: a.note || null, by: a.createdBy || null
    });
    tbody.appendChild(tr);
  });
  if (!list.length) {
    var tr = document.createElement('tr');
    cell(tr, 'td', 'empty', 'Chưa có hoạt động nào được ghi trong đơn vị và khoảng thời gian này.').colSpan = 7;
    tbody.appendChild(tr);
  }
  if (!sortState['activities-table']) sortState['activities-table'] = { key: 'date', dir: -1 };
  sortTable(table);
}

$('activity-form').addEventListener('submit', function (ev) {
  ev.preventDefault();
  showMsg($('activity-error'), '');
  showMsg($('activity-done'), '');
  var topics = Array.prototype.map.call(document.querySelectorAll('input[name="activity-topic"]:checked'), function (c) { return c.value; });
  var audienceText = $('activity-audience').value.trim();
  var body = {
    unitId: $('activity-unit').value,
    type: $('activity-type').value,
    date: $('activity-date').value,
    topics: topics,
    audience: audienceText === '' ? 0 : Number(audienceText),
    note: $('activity-note').value.trim()
  };
  var problem = !body.unitId ? 'Vui lòng chọn đơn vị thực hiện.' :
    !body.type ? 'Vui lòng chọn hình thức tuyên truyền.' :
    !/^\d{4}-\d{2}-\d{2}$/.test(body.date) ? 'Vui lòng nhập ngày hoạt động.' :
    body.date > today() ? 'Ngày hoạt động không được sau hôm nay.' :
    !(Number.isInteger(body.audience) && body.audience >= 0 && body.audience <= 1000000) ? 'Số người phải là số nguyên từ 0 đến 1.000.000.' : '';
  if (problem) {
    showMsg($('activity-error'), problem);
    var focus = !body.unitId ? 'activity-unit' : !body.type ? 'activity-type' : problem.indexOf('ngày') >= 0 || problem.indexOf('Ngày') >= 0 ? 'activity-date' : 'activity-audience';
    $(focus).focus();
    return;
  }
  $('activity-save').disabled = true;
  api('POST', '/v1/activities', body).then(function (a) {
    $('activity-save').disabled = false;
    $('activity-note').value = '';
    $('activity-audience').value = '';
    document.querySelectorAll('input[name="activity-topic"]').forEach(function (c) { c.checked = false; });
    var f = filters() || {};
    var outside = (f.from && a.date < f.from + '-01') || (f.to && a.date > lastDayOf(f.to));
    showMsg($('activity-done'), 'Đã lưu hoạt động ngày ' + dmy(a.date) + '.' +
      (outside ? ' Hoạt động nằm ngoài khoảng thời gian đang xem nên không hiện trong bảng.' : ''));
    return loadActivities();
  }).catch(function (err) {
    $('activity-save').disabled = false;
    if (!err.silent) showMsg($('activity-error'), err.message);
  });
});
