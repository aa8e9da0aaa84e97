// Awareness by village (or organisation, age band, gender): the table and the bar chart
// of mean scores with their 95 % intervals.
import { $ } from '../lib/dom.js';
import { int, fixed1, ciText } from '../lib/format.js';
import { cell, setSortValues, sortTable, TOO_FEW, NONE_YET } from './tables.js';
import { charts, chartReady, errorBars, heatColor } from './charts.js';

export var GROUP_HEADING = { village: 'Thôn, bản', organization: 'Đoàn thể', ageBand: 'Nhóm tuổi', gender: 'Giới tính' };
var GROUP_TITLE = {
  village: 'Mức độ hiểu biết theo thôn', organization: 'Mức độ hiểu biết theo đoàn thể',
  ageBand: 'Mức độ hiểu biết theo nhóm tuổi', gender: 'Mức độ hiểu biết theo giới tính'
};

// rateText shows a rate with its Wilson 95 % interval in words: "62,1 % (55,0–68,7 %)";
// the rate alone when there is no interval (suppressed, no population).
function rateText(rate, ci) {
  return ci && ci.length === 2 ? fixed1(rate) + ' % (' + ciText(ci) + ' %)' : fixed1(rate);
}

function awarenessRow(r, groupBy, isTotal) {
  var tr = document.createElement('tr');
  if (isTotal) tr.className = 'total';
  else tr.setAttribute('data-key', r.key);
  if (r.suppressed) tr.classList.add('suppressed');
  var village = groupBy === 'village';
  cell(tr, 'th', 'label', isTotal ? 'Tổng: ' + r.label : r.label);
  cell(tr, 'td', 'num participants', int(r.participants));
  cell(tr, 'td', 'num population', village && r.population ? int(r.population) : '—');
  cell(tr, 'td', 'num participation', village ? rateText(r.participationRate, r.participationRateCi95) : '—');
  if (r.suppressed) {
    cell(tr, 'td', 'mean too-few', r.participants ? TOO_FEW : NONE_YET);
    cell(tr, 'td', 'num ci', '—');
    cell(tr, 'td', 'num pass', '—');
  } else {
    cell(tr, 'td', 'num mean', fixed1(r.meanScore));
    cell(tr, 'td', 'num ci', ciText(r.ci95));
    cell(tr, 'td', 'num pass', rateText(r.passRate, r.passRateCi95));
  }
  setSortValues(tr, {
    label: r.label, participants: r.participants, population: village ? r.population || null : null,
    participation: village ? r.participationRate : null, mean: r.meanScore,
    ci: r.ci95 ? r.ci95[1] - r.ci95[0] : null, pass: r.passRate
  });
  return tr;
}

// renderAwareness draws GET /v1/reports/awareness (query: the request's query string).
export function renderAwareness(data, query) {
  var table = $('awareness-table');
  var groupBy = data.groupBy || 'village';
  $('awareness-title').textContent = GROUP_TITLE[groupBy] || GROUP_TITLE.village;
  $('awareness-group-heading').textContent = GROUP_HEADING[groupBy] || GROUP_HEADING.village;
  var tbody = table.tBodies[0], tfoot = table.tFoot;
  tbody.textContent = '';
  tfoot.textContent = '';
  var rows = data.rows || [];
  rows.forEach(function (r) { tbody.appendChild(awarenessRow(r, groupBy, false)); });
  if (!rows.length) {
    var tr = document.createElement('tr');
    var td = cell(tr, 'td', 'empty', 'Không có dữ liệu trong phạm vi đã chọn.');
    td.colSpan = 7;
    tbody.appendChild(tr);
  }
  if (data.total) tfoot.appendChild(awarenessRow(data.total, groupBy, true));
  sortTable(table);
  table.setAttribute('data-query', query);
  drawMeanChart(rows, groupBy);
}

function drawMeanChart(rows, groupBy) {
  var canvas = $('mean-chart');
  var what = (GROUP_HEADING[groupBy] || 'thôn').toLowerCase();
  canvas.setAttribute('aria-label', 'Biểu đồ điểm trung bình theo ' + what + ' (%), có khoảng tin cậy 95 %: ' +
    (rows.map(function (r) {
      return r.label + ' ' + (r.suppressed ? (r.participants ? TOO_FEW.toLowerCase() : NONE_YET.toLowerCase()) : fixed1(r.meanScore) + ' (' + ciText(r.ci95) + ')');
    }).join('; ') || 'không có dữ liệu') + '.');
  if (!chartReady('mean-chart')) return;
  charts['mean-chart'] = new window.Chart(canvas, {
    type: 'bar',
    data: {
      labels: rows.map(function (r) { return r.label; }),
      datasets: [{
        label: 'Điểm trung bình (%)',
        data: rows.map(function (r) { return r.suppressed ? null : r.meanScore; }),
        ci95: rows.map(function (r) { return r.suppressed ? null : r.ci95; }),
        backgroundColor: rows.map(function (r) { return heatColor(r.meanScore); }),
        borderColor: '#1f3a93',
        borderWidth: 1,
        maxBarThickness: 64
      }]
    },
    options: {
      locale: 'vi-VN',
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: {
        y: { min: 0, max: 100, title: { display: true, text: 'Điểm trung bình (% điểm tối đa)' } },
        x: { ticks: { autoSkip: false, maxRotation: 45 } }
      },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            label: function (c) {
              var r = rows[c.dataIndex];
              return 'Điểm TB ' + fixed1(r.meanScore) + ' (KTC 95 %: ' + ciText(r.ci95) + '), ' + int(r.participants) + ' người';
            }
          }
        }
      }
    },
    plugins: [errorBars]
  });
}
