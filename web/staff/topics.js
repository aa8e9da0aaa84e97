// Village × topic heat table: the rate of correct answers by village and by the plan's
// content section, and each village's weakest topic.
import { $, el } from '../lib/dom.js';
import { int, pct } from '../lib/format.js';
import { TOPIC_LABEL } from '../lib/labels.js';
import { cell, setSortValues, sortTable, sortState, TOO_FEW, NONE_YET } from './tables.js';
import { heatClass } from './charts.js';

// renderTopics draws GET /v1/reports/topics.
export function renderTopics(data) {
  var table = $('topics-table');
  var topics = data.topics || [];
  var head = table.tHead.rows[0];
  head.textContent = '';
  var th = el('th');
  th.scope = 'col';
  th.setAttribute('data-sort', 'label');
  th.setAttribute('data-type', 'text');
  th.appendChild(el('button', null, 'Thôn, bản')).type = 'button';
  head.appendChild(th);
  // The weakest topic next to the village's name: what a commune acts on, readable on a
  // phone without scrolling past every topic's column.
  th = el('th');
  th.scope = 'col';
  th.setAttribute('data-sort', 'weakest');
  th.setAttribute('data-type', 'text');
  th.appendChild(el('button', null, 'Nội dung cần tăng cường')).type = 'button';
  head.appendChild(th);
  th = el('th', 'num');
  th.scope = 'col';
  th.setAttribute('data-sort', 'participants');
  th.appendChild(el('button', null, 'Người tham gia')).type = 'button';
  head.appendChild(th);
  topics.forEach(function (t) {
    var h = el('th', 'num topic-head');
    h.scope = 'col';
    h.setAttribute('data-sort', 't:' + t.topic);
    var b = el('button');
    b.type = 'button';
    b.appendChild(el('span', 'code', t.topic + '.'));
    b.appendChild(document.createTextNode(' '));
    b.appendChild(el('span', 'lbl', t.label || TOPIC_LABEL[t.topic] || t.topic));
    h.appendChild(b);
    head.appendChild(h);
  });

  var tbody = table.tBodies[0], tfoot = table.tFoot;
  tbody.textContent = '';
  tfoot.textContent = '';
  (data.rows || []).forEach(function (r) { tbody.appendChild(topicRow(r, topics, false)); });
  if (data.total) tfoot.appendChild(topicRow(data.total, topics, true));
  if (sortState['topics-table'] && !head.querySelector('[data-sort="' + sortState['topics-table'].key + '"]')) delete sortState['topics-table'];
  sortTable(table);
}

function topicRow(r, topics, isTotal) {
  var tr = document.createElement('tr');
  if (isTotal) tr.className = 'total';
  else tr.setAttribute('data-key', r.unitId);
  if (r.suppressed) tr.classList.add('suppressed');
  cell(tr, 'th', 'label', isTotal ? 'Tổng: ' + r.label : r.label);
  var weakestCell = cell(tr, 'td', 'weakest', '');
  cell(tr, 'td', 'num participants', int(r.participants));
  var byTopic = {};
  (r.cells || []).forEach(function (c) { byTopic[c.topic] = c; });
  var sortValues = { label: r.label, participants: r.participants };
  var weakest = null;
  topics.forEach(function (t) {
    var c = byTopic[t.topic] || {};
    var rate = r.suppressed ? null : c.correctRate;
    var td = cell(tr, 'td', 'num heat ' + heatClass(rate), pct(rate));
    td.setAttribute('data-topic', t.topic);
    td.title = (t.label || TOPIC_LABEL[t.topic]) + ': ' + (rate == null ? (r.suppressed ? TOO_FEW : 'chưa có câu trả lời') : pct(rate) + ' trả lời đúng') +
      (c.answered != null ? ' (' + int(c.answered) + ' lượt trả lời)' : '');
    sortValues['t:' + t.topic] = rate;
    if (rate != null && (!weakest || rate < weakest.rate)) weakest = { topic: t, rate: rate };
  });
  var w = weakest ? weakest.topic.topic + '. ' + (weakest.topic.label || TOPIC_LABEL[weakest.topic.topic]) : '';
  weakestCell.textContent = r.suppressed ? (r.participants ? TOO_FEW : NONE_YET) : (w || '—');
  sortValues.weakest = w || null;
  setSortValues(tr, sortValues);
  return tr;
}
