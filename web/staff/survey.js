// Survey results: the distribution of every question with options, overall and by village.
import { $, el } from '../lib/dom.js';
import { int, pct } from '../lib/format.js';
import { likertLabel, questionKind } from '../lib/labels.js';
import { cell } from './tables.js';

// optionText names an option; a likert value without its own text gets the scale's label.
function optionText(q, o) {
  var l = questionKind(q.kind).answer === 'value' ? likertLabel(o.optionId) : '';
  if (l && (!o.text || o.text === o.optionId)) return o.optionId + ' – ' + l;
  return o.text || o.optionId;
}

// renderSurvey draws GET /v1/reports/survey.
export function renderSurvey(data) {
  var body = $('survey-body');
  body.textContent = '';
  var n = data.participants || 0;
  body.appendChild(el('p', 'lead', 'Số người trả lời: ' + int(n) +
    (n < data.minGroup ? ' — quá ít để tính tỷ lệ; chỉ hiện số lượt chọn.' : '.')));
  (data.questions || []).forEach(function (q, qi) {
    var box = el('div', 'survey-q');
    box.setAttribute('data-question', q.questionId);
    body.appendChild(box);
    if (!q.options || !q.options.length) {
      box.appendChild(el('h3', null, (qi + 1) + '. ' + q.text));
      box.appendChild(el('p', 'muted', data.sealed && questionKind(q.kind).answer !== 'text' ? data.sealedNote :
        'Câu hỏi trả lời tự do: không thống kê theo lựa chọn. Tải tệp Excel để xem tổng hợp.'));
      return;
    }
    var wrap = el('div', 'table-wrap');
    var table = el('table', 'data survey-table');
    var cap = el('caption', null, (qi + 1) + '. ' + q.text + (questionKind(q.kind).multiple ? ' (được chọn nhiều đáp án)' : ''));
    table.appendChild(cap);
    var thead = table.createTHead().insertRow();
    ['Lựa chọn', 'Số lượt chọn', 'Tỷ lệ'].forEach(function (h, i) {
      var th = el('th', i ? 'num' : null, h);
      th.scope = 'col';
      thead.appendChild(th);
    });
    var tb = table.createTBody();
    q.options.forEach(function (o) {
      var tr = tb.insertRow();
      cell(tr, 'th', 'label', optionText(q, o));
      cell(tr, 'td', 'num count', int(o.count));
      var td = cell(tr, 'td', 'num percent');
      var bar = el('span', 'pbar');
      bar.setAttribute('aria-hidden', 'true');
      bar.style.width = Math.max(0, Math.min(100, o.percent || 0)) + '%';
      td.appendChild(el('span', 'pval', pct(o.percent)));
      td.appendChild(bar);
    });
    wrap.appendChild(table);
    box.appendChild(wrap);
    if (q.byUnit && q.byUnit.length > 1) box.appendChild(surveyByUnit(q));
  });
}

function surveyByUnit(q) {
  var det = el('details', 'more');
  det.appendChild(el('summary', null, 'Theo thôn'));
  var wrap = el('div', 'table-wrap');
  var table = el('table', 'data');
  table.appendChild(el('caption', null, q.text + ' — số lượt chọn (tỷ lệ %) theo thôn'));
  var head = table.createTHead().insertRow();
  var th = el('th', null, 'Thôn, bản');
  th.scope = 'col';
  head.appendChild(th);
  q.options.forEach(function (o) {
    var h = el('th', 'num', optionText(q, o));
    h.scope = 'col';
    head.appendChild(h);
  });
  var tb = table.createTBody();
  q.byUnit.forEach(function (u) {
    var tr = tb.insertRow();
    tr.setAttribute('data-key', u.unitId);
    cell(tr, 'th', 'label', u.label);
    (u.options || []).forEach(function (o) {
      cell(tr, 'td', 'num', int(o.count) + (o.percent == null ? '' : ' (' + pct(o.percent) + ')'));
    });
  });
  wrap.appendChild(table);
  det.appendChild(wrap);
  return det;
}
