// Charts on the dashboard. Chart.js (a classic UMD script, /staff/vendor/ from make
// web-vendor; ~70 KB gzipped) is loaded only when the first chart is drawn, after the
// tables are on screen: on a 3G line it would otherwise hold the first tables back by
// seconds. Without it the tables still show every number.
import { $ } from '../lib/dom.js';

var CHART_SRC = '/staff/vendor/chart.umd.min.js';

// charts maps a canvas id to its chart.
export var charts = {};

// drawing maps a canvas id to the latest draw asked for: an older one that finishes
// loading later must not replace it.
var drawing = {};

export function destroyCharts() {
  Object.keys(charts).forEach(function (k) { if (charts[k]) charts[k].destroy(); charts[k] = null; });
  Object.keys(drawing).forEach(function (k) { drawing[k]++; });
}

var loading = null;

// loadChartLib loads Chart.js once (a script element, as it is a classic script) and
// resolves with window.Chart, or null when it cannot be loaded.
export function loadChartLib() {
  if (typeof window.Chart === 'function') return Promise.resolve(window.Chart);
  if (!loading) {
    loading = new Promise(function (resolve) {
      var s = document.createElement('script');
      s.src = CHART_SRC;
      s.async = true;
      s.onload = function () { resolve(typeof window.Chart === 'function' ? window.Chart : null); };
      s.onerror = function () { loading = null; resolve(null); }; // a later draw tries again
      document.head.appendChild(s);
    });
  }
  return loading;
}

// noChart drops the canvas's chart and says instead why there is none (no empty axes).
export function noChart(id, msg) {
  drawing[id] = (drawing[id] || 0) + 1; // a draw still on its way is dropped
  if (charts[id]) { charts[id].destroy(); charts[id] = null; }
  $(id).removeAttribute('data-drawn');
  $(id).parentNode.setAttribute('data-missing', msg);
}

// drawChart drops the canvas's old chart, then, once Chart.js is there, calls make(Chart)
// for the new one (unless a newer draw came meanwhile) and marks the canvas data-drawn.
export function drawChart(id, make) {
  var my = drawing[id] = (drawing[id] || 0) + 1;
  if (charts[id]) { charts[id].destroy(); charts[id] = null; }
  var box = $(id).parentNode;
  $(id).removeAttribute('data-drawn');
  return loadChartLib().then(function (Chart) {
    if (my !== drawing[id]) return;
    if (!Chart) {
      box.setAttribute('data-missing', 'Không tải được thư viện biểu đồ; số liệu có trong bảng.');
      return;
    }
    box.removeAttribute('data-missing');
    charts[id] = make(Chart);
    $(id).setAttribute('data-drawn', 'true');
  });
}

// heatColor is a bar's colour by its rate, as the heat table's classes.
export function heatColor(rate) {
  return rate == null ? '#cccccc' : rate < 50 ? '#e57368' : rate < 75 ? '#f2b84b' : '#5fae6b';
}

// heatClass is a heat table cell's class by its rate.
export function heatClass(rate) {
  if (rate == null) return 'na';
  return rate < 50 ? 'low' : rate < 75 ? 'mid' : 'high';
}

// errorBars draws each bar's 95 % interval from dataset.ci95 ([lo, hi] or null per bar).
export var errorBars = {
  id: 'errorBars',
  afterDatasetsDraw: function (chart) {
    var ctx = chart.ctx;
    chart.data.datasets.forEach(function (ds, i) {
      if (!ds.ci95) return;
      var meta = chart.getDatasetMeta(i);
      if (meta.hidden) return;
      var scale = chart.scales[meta.yAxisID || 'y'];
      meta.data.forEach(function (bar, j) {
        var ci = ds.ci95[j];
        if (!ci || ci.length !== 2 || ds.data[j] == null) return;
        var top = scale.getPixelForValue(ci[1]), bottom = scale.getPixelForValue(ci[0]);
        var half = Math.max(4, Math.min(12, (bar.width || 24) / 4));
        ctx.save();
        ctx.strokeStyle = '#111';
        ctx.lineWidth = 2;
        ctx.beginPath();
        ctx.moveTo(bar.x, top); ctx.lineTo(bar.x, bottom);
        ctx.moveTo(bar.x - half, top); ctx.lineTo(bar.x + half, top);
        ctx.moveTo(bar.x - half, bottom); ctx.lineTo(bar.x + half, bottom);
        ctx.stroke();
        ctx.restore();
      });
    });
  }
};

// slotLabels writes dataset.slotLabels[j] (text or null) in the empty slot of bar j, so
// that a group too small to judge reads "dưới 5 người" instead of looking like a zero.
export var slotLabels = {
  id: 'slotLabels',
  afterDatasetsDraw: function (chart) {
    var ds = chart.data.datasets[0];
    if (!ds || !ds.slotLabels) return;
    var x = chart.scales.x, y = chart.scales.y, ctx = chart.ctx;
    var slot = chart.chartArea.width / Math.max(1, ds.slotLabels.length);
    ds.slotLabels.forEach(function (text, j) {
      if (!text) return;
      var px = x.getPixelForValue(j), py = y.getPixelForValue(0) - 6;
      ctx.save();
      ctx.fillStyle = '#444';
      ctx.font = 'italic 13px system-ui, sans-serif';
      ctx.textAlign = 'left';
      ctx.textBaseline = 'middle';
      ctx.translate(px, py);
      if (ctx.measureText(text).width > slot - 8) ctx.rotate(-Math.PI / 2); // narrow slots: upright
      else { ctx.textAlign = 'center'; ctx.textBaseline = 'bottom'; }
      ctx.fillText(text, 0, 0);
      ctx.restore();
    });
  }
};

// refLines draws horizontal reference lines (options.plugins.refLines.lines: [{value,
// label, color, dash}]) across the chart, each with its label in words.
export var refLines = {
  id: 'refLines',
  afterDatasetsDraw: function (chart, args, opts) {
    var lines = (opts && opts.lines) || [];
    var y = chart.scales.y, area = chart.chartArea, ctx = chart.ctx;
    lines.forEach(function (l, i) {
      if (l.value == null) return;
      var py = y.getPixelForValue(l.value);
      ctx.save();
      ctx.strokeStyle = l.color;
      ctx.lineWidth = 2;
      ctx.setLineDash(l.dash || []);
      ctx.beginPath();
      ctx.moveTo(area.left, py); ctx.lineTo(area.right, py);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.font = '12px system-ui, sans-serif';
      ctx.fillStyle = l.color;
      ctx.textAlign = 'right';
      ctx.textBaseline = i % 2 ? 'top' : 'bottom';
      ctx.fillText(l.label, area.right - 4, py + (i % 2 ? 3 : -3));
      ctx.restore();
    });
  }
};
