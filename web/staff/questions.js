// Question analysis: answers, facility, discrimination and a remark for each question.
import { $ } from '../lib/dom.js';
import { int, pct, fixed2 } from '../lib/format.js';
import { TOPIC_LABEL } from '../lib/labels.js';
import { cell, setSortValues, sortTable } from './tables.js';

var FLAG_LABEL = {
  too_easy: 'Quá dễ (trên 90 % trả lời đúng)',
  too_hard: 'Quá khó (dưới 20 % trả lời đúng)',
  negative: 'Phân biệt ngược: kiểm tra lại đáp án',
  weak: 'Phân biệt yếu (dưới 0,2)',
  too_few: 'Quá ít lượt trả lời để đánh giá',
  '': 'Đạt yêu cầu'
};

// SEALED stands where a figure of a contest whose key is still secret is hidden.
var SEALED = 'Ẩn đến khi đóng vòng';

// renderQuestions draws GET /v1/reports/questions.
export function renderQuestions(data) {
  var table = $('questions-table');
  var tbody = table.tBodies[0];
  tbody.textContent = '';
  var list = data.questions || [];
  list.forEach(function (q) {
    var tr = document.createElement('tr');
    tr.setAttribute('data-question', q.questionId);
    if (q.flag) tr.className = 'flag-' + q.flag;
    cell(tr, 'th', 'qtext', q.text);
    cell(tr, 'td', 'topic', q.topic ? q.topic + '. ' + (TOPIC_LABEL[q.topic] || '') : '—');
    cell(tr, 'td', 'num n', int(q.n));
    cell(tr, 'td', 'num facility', q.facility == null ? (data.sealed ? SEALED : '—') : pct(q.facility * 100));
    cell(tr, 'td', 'num discrimination', q.discrimination == null ? (data.sealed ? SEALED : '—') : fixed2(q.discrimination));
    var label = FLAG_LABEL[q.flag] != null ? FLAG_LABEL[q.flag] : q.flag;
    if (data.sealed && !q.flag) label = SEALED; // no remark can be made without the facility
    var f = cell(tr, 'td', 'flag ' + (!q.flag ? 'flag-fine' : q.flag === 'too_few' ? 'flag-few' : 'flag-warn'), label);
    f.setAttribute('data-flag', q.flag || '');
    setSortValues(tr, { text: q.text, topic: q.topic || null, n: q.n, facility: q.facility, discrimination: q.discrimination, flag: FLAG_LABEL[q.flag] || q.flag || null });
    tbody.appendChild(tr);
  });
  if (!list.length) {
    var tr = document.createElement('tr');
    cell(tr, 'td', 'empty', 'Bài này không có câu hỏi chấm điểm.').colSpan = 6;
    tbody.appendChild(tr);
  }
  sortTable(table);
}
