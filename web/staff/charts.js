// Charts on the dashboard: Chart.js is a classic script (window.Chart, from
// /staff/vendor/); without it the tables still show every number.
import { $ } from '../lib/dom.js';

// charts maps a canvas id to its chart.
export var charts = {};

export function destroyCharts() {
  Object.keys(charts).forEach(function (k) { if (charts[k]) charts[k].destroy(); charts[k] = null; });
}

// chartReady drops the canvas's old chart and tells whether Chart.js is there.
export function chartReady(id) {
  if (charts[id]) { charts[id].destroy(); charts[id] = null; }
  if (typeof window.Chart !== 'function') {
    $(id).parentNode.setAttribute('data-missing', 'Không tải được thư viện biểu đồ; số liệu có trong bảng.');
    return false;
  }
  return true;
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
