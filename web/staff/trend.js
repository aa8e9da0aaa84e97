// Trend: this year against last year, by month (tables and a line chart).
import { $ } from '../lib/dom.js';
import { int, fixed1, pct, pctRange, signed, pad, monthLabel } from '../lib/format.js';
import { cell, TOO_FEW, NONE_YET } from './tables.js';
import { drawChart, noChart } from './charts.js';

function trendCells(tr, p) {
  cell(tr, 'td', 'num participants', int(p.participants));
  if (p.suppressed) {
    cell(tr, 'td', 'mean too-few', p.participants ? TOO_FEW : NONE_YET);
    cell(tr, 'td', 'num ci', '—');
    cell(tr, 'td', 'num pass', '—');
  } else {
    cell(tr, 'td', 'num mean', pct(p.meanScore));
    cell(tr, 'td', 'num ci', pctRange(p.ci95));
    cell(tr, 'td', 'num pass', pct(p.passRate));
  }
}

// renderTrend draws GET /v1/reports/trend.
export function renderTrend(data) {
  var thisYear = data.thisYear || {}, lastYear = data.lastYear || {};
  var cmp = $('year-compare').tBodies[0];
  cmp.textContent = '';
  [[thisYear, 'Năm nay', 'this-year'], [lastYear, 'Năm trước', 'last-year']].forEach(function (x) {
    var tr = document.createElement('tr');
    tr.className = x[2];
    cell(tr, 'th', 'label', x[1] + ' (' + (x[0].period || '') + ')');
    trendCells(tr, x[0]);
    cmp.appendChild(tr);
  });
  if (!thisYear.suppressed && !lastYear.suppressed && thisYear.meanScore != null && lastYear.meanScore != null) {
    var tr = document.createElement('tr');
    tr.className = 'change';
    cell(tr, 'th', 'label', 'Thay đổi');
    cell(tr, 'td', 'num participants', signed(thisYear.participants - lastYear.participants, int));
    cell(tr, 'td', 'num mean', signed(thisYear.meanScore - lastYear.meanScore, fixed1) + ' điểm');
    cell(tr, 'td', 'num ci', '');
    cell(tr, 'td', 'num pass', thisYear.passRate != null && lastYear.passRate != null ? signed(thisYear.passRate - lastYear.passRate, fixed1) + ' điểm' : '—');
    cmp.appendChild(tr);
  }

  var points = data.points || [];
  var tbody = $('trend-table').tBodies[0];
  tbody.textContent = '';
  points.forEach(function (p) {
    var tr = document.createElement('tr');
    tr.setAttribute('data-period', p.period);
    cell(tr, 'th', 'label', monthLabel(p.period));
    trendCells(tr, p);
    tbody.appendChild(tr);
  });
  if (!points.length) {
    var empty = document.createElement('tr');
    cell(empty, 'td', 'empty', 'Chưa có dữ liệu.').colSpan = 5;
    tbody.appendChild(empty);
  }
  drawTrendChart(points, thisYear.period, lastYear.period);
}

function drawTrendChart(points, thisYear, lastYear) {
  var canvas = $('trend-chart');
  var byMonth = {};
  points.forEach(function (p) { byMonth[p.period] = p; });
  function series(year) {
    var out = [];
    for (var m = 1; m <= 12; m++) {
      var p = byMonth[year + '-' + pad(m)];
      out.push(p && !p.suppressed && p.meanScore != null ? p.meanScore : null);
    }
    return out;
  }
  var labels = [];
  for (var m = 1; m <= 12; m++) labels.push('Th' + m);
  var datasets = [];
  if (thisYear) datasets.push({ label: 'Năm ' + thisYear, data: series(thisYear), borderColor: '#9b1c1c', backgroundColor: '#9b1c1c', borderWidth: 3, pointRadius: 4, spanGaps: false });
  if (lastYear) datasets.push({ label: 'Năm ' + lastYear, data: series(lastYear), borderColor: '#1f3a93', backgroundColor: '#1f3a93', borderDash: [6, 4], borderWidth: 2, pointRadius: 4, pointStyle: 'rect', spanGaps: false });
  canvas.setAttribute('aria-label', 'Biểu đồ điểm trung bình theo tháng (%): ' + datasets.map(function (d) {
    var parts = [];
    d.data.forEach(function (v, i) { if (v != null) parts.push('tháng ' + (i + 1) + ': ' + pct(v)); });
    return d.label + ' — ' + (parts.join(', ') || 'chưa có dữ liệu');
  }).join('; ') + '.');
  // Nobody has taken part yet: nothing to draw, not empty axes.
  if (!points.some(function (p) { return p.participants > 0; })) {
    noChart('trend-chart', 'Chưa có ai tham gia: biểu đồ hiện khi có kết quả.');
    return;
  }
  drawChart('trend-chart', function (Chart) { return new Chart(canvas, {
    type: 'line',
    data: { labels: labels, datasets: datasets },
    options: {
      locale: 'vi-VN',
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: { y: { min: 0, max: 100, title: { display: true, text: 'Điểm trung bình (%)' } } },
      plugins: { legend: { position: 'bottom', labels: { usePointStyle: true } } }
    }
  }); });
}
