// Awareness by village (or organisation, age band, gender): the bar chart of mean scores
// with their 95 % intervals (above the table, so a laptop sees it without scrolling), the
// villages that lag coloured and named in words, one sentence on the interval, the table.
import { $, el } from '../lib/dom.js';
import { int, pct, pctRange, ciText } from '../lib/format.js';
import { cell, setSortValues, sortTable, TOO_FEW, NONE_YET } from './tables.js';
import { state, quizById } from './state.js';

export var GROUP_HEADING = { village: 'Thôn, bản', organization: 'Đoàn thể', ageBand: 'Nhóm tuổi', gender: 'Giới tính' };
var GROUP_TITLE = {
  village: 'Mức độ hiểu biết theo thôn', organization: 'Mức độ hiểu biết theo đoàn thể',
  ageBand: 'Mức độ hiểu biết theo nhóm tuổi', gender: 'Mức độ hiểu biết theo giới tính'
};

// The pass mark when a quiz does not set one (quiz.Pass on the server).
var DEFAULT_PASS = 50;

// A group's standing against the mean of the whole unit and the quiz's pass mark (the
// target): both below, one below, neither, or not judged (too few people).
var LAG = {
  both: { cls: 'lag-both', color: '#c0392b', words: 'dưới mức đạt và dưới trung bình chung' },
  mean: { cls: 'lag-one', color: '#f0a030', words: 'dưới trung bình chung' },
  target: { cls: 'lag-one', color: '#f0a030', words: 'dưới mức đạt' },
  none: { cls: 'lag-none', color: '#5fae6b', words: '' },
  na: { cls: 'lag-na', color: '#cccccc', words: '' }
};

// LAG_RANK orders standings for a phone: both below first, not judged last.
var LAG_RANK = { both: 0, mean: 1, target: 1, none: 2, na: 3 };

// PHONE matches the screens staff.css lays out in one column.
var PHONE = window.matchMedia('(max-width: 600px)');

// lagOf tells a row's standing (a key of LAG).
export function lagOf(r, mean, target) {
  if (r.suppressed || r.meanScore == null) return 'na';
  var belowMean = mean != null && r.meanScore < mean, belowTarget = r.meanScore < target;
  return belowMean && belowTarget ? 'both' : belowMean ? 'mean' : belowTarget ? 'target' : 'none';
}

// rateText shows a rate with its Wilson 95 % interval in words: "62,1 % (55,0–68,7 %)";
// the rate alone when there is no interval (suppressed, no population).
function rateText(rate, ci) {
  return ci && ci.length === 2 ? pct(rate) + ' (' + ciText(ci) + ' %)' : pct(rate);
}

// minGroup is the smallest group the shown report judges (its minGroup).
var minGroup = 0;

// smallLabel is what a suppressed group shows where its bar would be.
function smallLabel(r) { return r.participants ? 'dưới ' + minGroup + ' người' : 'chưa có người'; }

function awarenessRow(r, groupBy, isTotal, lag) {
  var tr = document.createElement('tr');
  if (isTotal) tr.className = 'total';
  else {
    tr.setAttribute('data-key', r.key);
    tr.classList.add(LAG[lag].cls);
    tr.setAttribute('data-lag', lag);
  }
  if (r.suppressed) tr.classList.add('suppressed');
  var village = groupBy === 'village';
  var th = cell(tr, 'th', 'label', isTotal ? 'Tổng: ' + r.label : r.label);
  if (!isTotal && LAG[lag].words) {
    var tag = document.createElement('span');
    tag.className = 'lag-tag';
    tag.textContent = LAG[lag].words;
    th.appendChild(tag);
  }
  cell(tr, 'td', 'num participants', int(r.participants));
  cell(tr, 'td', 'num population', village && r.population ? int(r.population) : '—');
  cell(tr, 'td', 'num participation', village ? rateText(r.participationRate, r.participationRateCi95) : '—');
  if (r.suppressed) {
    cell(tr, 'td', 'mean too-few', r.participants ? TOO_FEW : NONE_YET);
    cell(tr, 'td', 'num ci', '—');
    cell(tr, 'td', 'num pass', '—');
  } else {
    cell(tr, 'td', 'num mean', pct(r.meanScore));
    cell(tr, 'td', 'num ci', pctRange(r.ci95));
    cell(tr, 'td', 'num pass', rateText(r.passRate, r.passRateCi95));
  }
  setSortValues(tr, {
    label: r.label, participants: r.participants, population: village ? r.population || null : null,
    participation: village ? r.participationRate : null, mean: r.meanScore,
    ci: r.ci95 ? r.ci95[1] - r.ci95[0] : null, pass: r.passRate
  });
  return tr;
}

// shown is the answer on screen, for rerenderAwareness.
var shown = null;

// rerenderAwareness draws the answer on screen again (the quiz's pass mark became known).
export function rerenderAwareness() { if (shown) renderAwareness(shown.data, shown.query); }

// renderAwareness draws GET /v1/reports/awareness (query: the request's query string).
export function renderAwareness(data, query) {
  shown = { data: data, query: query };
  minGroup = data.minGroup;
  var table = $('awareness-table');
  var groupBy = data.groupBy || 'village';
  var total = data.total || null;
  var q = quizById((state.last.awareness && state.last.awareness.params.quizId) || data.quizId);
  var target = q && q.passPercent ? q.passPercent : DEFAULT_PASS;
  var mean = total && !total.suppressed ? total.meanScore : null;
  $('awareness-title').textContent = GROUP_TITLE[groupBy] || GROUP_TITLE.village;
  $('awareness-group-heading').textContent = GROUP_HEADING[groupBy] || GROUP_HEADING.village;
  var tbody = table.tBodies[0], tfoot = table.tFoot;
  tbody.textContent = '';
  tfoot.textContent = '';
  var rows = data.rows || [];
  var lags = rows.map(function (r) { return lagOf(r, mean, target); });
  if (PHONE.matches) {
    // A phone shows a few rows per screen: the villages that lag come first, in the
    // table and the chart alike, until the officer sorts by a column.
    var order = rows.map(function (r, i) { return i; });
    order.sort(function (a, b) { return LAG_RANK[lags[a]] - LAG_RANK[lags[b]] || a - b; });
    rows = order.map(function (i) { return rows[i]; });
    lags = order.map(function (i) { return lags[i]; });
  }
  rows.forEach(function (r, i) { tbody.appendChild(awarenessRow(r, groupBy, false, lags[i])); });
  if (!rows.length) {
    var tr = document.createElement('tr');
    var td = cell(tr, 'td', 'empty', 'Không có dữ liệu trong phạm vi đã chọn.');
    td.colSpan = 7;
    tbody.appendChild(tr);
  }
  if (total) tfoot.appendChild(awarenessRow(total, groupBy, true, 'na'));
  sortTable(table);
  table.setAttribute('data-query', query);
  renderCommuneFigure(data, total, groupBy);
  renderLegend(total, mean, target, lags);
  renderIntervalNote(total, groupBy);
  drawMeanChart(rows, groupBy, lags, mean, target);
}

// SELF_SELECTED labels the figures of people who chose to take part ("tự nguyện"),
// beside which a random sample's figure reads "mẫu ngẫu nhiên".
export var SELF_SELECTED = 'tự nguyện';

// renderCommuneFigure shows the unit's own figure: the pass rate weighted by the
// villages' populations (report.Weighted), with the plain pool of participants and the
// coverage beside it. Only by village: groups have no population.
function renderCommuneFigure(data, total, groupBy) {
  var box = $('commune-figure');
  var w = total && total.weighted;
  box.hidden = groupBy !== 'village' || !w;
  if (box.hidden) return;
  var head = $('weighted-figure'), pool = $('pool-figure');
  head.textContent = '';
  var who = total.label;
  if (data.sealed) {
    head.textContent = 'Tỷ lệ đạt của ' + who + ' theo dân số: ẩn đến khi đóng vòng.';
  } else if (w.passRate == null) {
    head.textContent = 'Chưa có thôn nào có dân số và từ ' + minGroup + ' người có điểm: chưa tính được tỷ lệ đạt của ' + who + ' theo dân số.';
  } else {
    head.appendChild(document.createTextNode('Tỷ lệ đạt của ' + who + ', tính theo dân số: '));
    head.appendChild(el('strong', 'weighted-pass', pct(w.passRate)));
    head.appendChild(document.createTextNode(' (KTC 95 %: ' + pctRange(w.passRateCi95) + '); điểm trung bình ' +
      pct(w.meanScore) + ' (' + pctRange(w.ci95) + ')'));
  }
  head.appendChild(el('span', 'source-tag', SELF_SELECTED));
  var parts = [];
  if (!data.sealed && !total.suppressed) {
    parts.push('Gộp người tham gia: tỷ lệ đạt ' + rateText(total.passRate, total.passRateCi95) + ', điểm trung bình ' + pct(total.meanScore));
  }
  parts.push(w.villagesCovered ? 'phủ ' + pct(w.populationCovered) + ' dân số, ' + int(w.villagesCovered) + ' thôn' : 'chưa phủ thôn nào');
  pool.textContent = parts.join('; ') + '.';
}

// renderLegend says in words what the colours mean, with the two reference values.
function renderLegend(total, mean, target, lags) {
  var p = $('lag-legend');
  p.textContent = '';
  var who = total ? total.label : 'đơn vị';
  var count = function (k) { return lags.filter(function (l) { return LAG[l].cls === k; }).length; };
  [
    ['lag-both', 'Đỏ: ' + LAG.both.words + ' (' + count('lag-both') + ')'],
    ['lag-one', 'Cam: dưới trung bình chung hoặc dưới mức đạt (' + count('lag-one') + ')'],
    ['lag-none', 'Xanh: đạt cả hai (' + count('lag-none') + ')'],
    ['lag-na', 'Xám: dưới ' + minGroup + ' người, chưa đánh giá (' + count('lag-na') + ')']
  ].forEach(function (x) {
    var s = document.createElement('span');
    s.className = 'swatch ' + x[0];
    s.textContent = x[1];
    p.appendChild(s);
  });
  var ref = document.createElement('span');
  ref.className = 'ref';
  ref.textContent = 'Trung bình chung của ' + who + ': ' + (mean == null ? 'chưa đủ người để tính' : pct(mean)) +
    '; mức đạt của bài: ' + pct(target) + '.';
  p.appendChild(ref);
}

// renderIntervalNote explains the interval in one sentence, with the unit's own figures.
function renderIntervalNote(total, groupBy) {
  var what = groupBy === 'village' ? 'thôn' : 'nhóm';
  var s = 'Khoảng tin cậy 95 % (vạch đen trên mỗi cột): ';
  if (total && !total.suppressed && total.ci95 && total.ci95.length === 2) {
    s += 'điểm trung bình của ' + total.label + ' là ' + pct(total.meanScore) + ', và với ' + int(total.participants) +
      ' người đã tham gia, ta tin chắc 95 % rằng nó nằm trong khoảng ' + pctRange(total.ci95) + '; ';
  } else {
    s += 'khoảng mà điểm trung bình có thể dao động vì số người tham gia có hạn; ';
  }
  s += what + ' càng ít người, khoảng càng rộng, và hai ' + what + ' có khoảng chồng lên nhau thì chưa thể nói ' + what + ' nào hiểu hơn.';
  $('interval-note').textContent = s;
}

function drawMeanChart(rows, groupBy, lags, mean, target) {
  var canvas = $('mean-chart');
  var what = (GROUP_HEADING[groupBy] || 'thôn').toLowerCase();
  canvas.setAttribute('aria-label', 'Biểu đồ điểm trung bình theo ' + what + ', có khoảng tin cậy 95 %: ' +
    (rows.map(function (r, i) {
      return r.label + ' ' + (r.suppressed ? smallLabel(r) : pct(r.meanScore) + ' (' + pctRange(r.ci95) + ')' +
        (LAG[lags[i]].words ? ', ' + LAG[lags[i]].words : ''));
    }).join('; ') || 'không có dữ liệu') + '.');
  // The chart module comes after the table (it is not needed to show the numbers): on
  // 3G every byte before the first table delays it.
  import('./charts.js').then(function (c) { meanChart(c, canvas, rows, lags, mean, target); });
}

function meanChart(c, canvas, rows, lags, mean, target) {
  // Nobody has taken part yet (a quiz just published): nothing to draw, not empty axes.
  if (!rows.some(function (r) { return r.participants > 0; })) {
    c.noChart('mean-chart', 'Chưa có ai tham gia trong phạm vi đã chọn: biểu đồ hiện khi có kết quả.');
    return;
  }
  c.drawChart('mean-chart', function (Chart) {
    return new Chart(canvas, {
      type: 'bar',
      data: {
        labels: rows.map(function (r) { return r.label; }),
        datasets: [{
          label: 'Điểm trung bình (%)',
          data: rows.map(function (r) { return r.suppressed ? null : r.meanScore; }),
          ci95: rows.map(function (r) { return r.suppressed ? null : r.ci95; }),
          slotLabels: rows.map(function (r) { return r.suppressed ? smallLabel(r) : null; }),
          backgroundColor: lags.map(function (l) { return LAG[l].color; }),
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
          y: { min: 0, max: 100, title: { display: true, text: 'Điểm trung bình (% điểm tối đa)' },
            ticks: { callback: function (v) { return v + ' %'; } } },
          x: { ticks: { autoSkip: false, maxRotation: 45 } }
        },
        plugins: {
          legend: { display: false },
          refLines: { lines: [
            { value: mean, label: 'Trung bình chung ' + pct(mean), color: '#1f3a93', dash: [6, 4] },
            { value: target, label: 'Mức đạt ' + pct(target), color: '#8a1c1c', dash: [2, 3] }
          ] },
          tooltip: {
            callbacks: {
              label: function (c) {
                var r = rows[c.dataIndex];
                return 'Điểm TB ' + pct(r.meanScore) + ' (KTC 95 %: ' + pctRange(r.ci95) + '), ' + int(r.participants) + ' người';
              }
            }
          }
        }
      },
      plugins: [c.errorBars, c.slotLabels, c.refLines]
    });
  });
}
