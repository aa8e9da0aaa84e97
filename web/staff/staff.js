// Staff dashboard for Resolution 58-NQ/TW: awareness by village, topics, questions,
// survey results, trend, activity log and the annual evaluation. Plain ES2017, no build;
// Chart.js (UMD) is loaded before this file from /staff/vendor/.
(function () {
  'use strict';

  var C = window.StaffCommon; // session.js

  var KEY_FILTERS = 'nq58.staff.filters';
  var MIN_GROUP = 5;

  // The plan's content sections (II.1 a–h; Vietnamese lists skip "f").
  var TOPIC_CODES = ['a', 'b', 'c', 'd', 'e', 'g', 'h'];
  var TOPICS = {
    a: 'Nội dung cốt lõi của Nghị quyết 58',
    b: 'Chủ trương, đường lối của Đảng, Chính phủ',
    c: 'Ý nghĩa Chương trình hành động của Chính phủ',
    d: 'Mục tiêu, nhiệm vụ, giải pháp',
    e: 'Xây dựng Đảng và hệ thống chính trị',
    g: 'Truyền thống, tiềm năng, tứ giác phát triển',
    h: 'Kết quả thực hiện'
  };
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
  var ACTIVITY_LABEL = {};
  ACTIVITY_TYPES.forEach(function (t) { ACTIVITY_LABEL[t[0]] = t[1]; });

  var ROLE_LABEL = C.ROLE_LABEL;
  var KIND_LABEL = { quiz: 'Trắc nghiệm', contest: 'Cuộc thi', survey: 'Khảo sát' };
  var STATUS_LABEL = C.STATUS_LABEL;
  var GROUP_HEADING = { village: 'Thôn, bản', organization: 'Đoàn thể', ageBand: 'Nhóm tuổi', gender: 'Giới tính' };
  var GROUP_TITLE = {
    village: 'Mức độ hiểu biết theo thôn', organization: 'Mức độ hiểu biết theo đoàn thể',
    ageBand: 'Mức độ hiểu biết theo nhóm tuổi', gender: 'Mức độ hiểu biết theo giới tính'
  };
  var FLAG_LABEL = {
    too_easy: 'Quá dễ (trên 90 % trả lời đúng)',
    too_hard: 'Quá khó (dưới 20 % trả lời đúng)',
    negative: 'Phân biệt ngược: kiểm tra lại đáp án',
    weak: 'Phân biệt yếu (dưới 0,2)',
    too_few: 'Quá ít lượt trả lời để đánh giá',
    '': 'Đạt yêu cầu'
  };
  var LIKERT = { '1': 'Hoàn toàn không đồng ý', '2': 'Không đồng ý', '3': 'Phân vân', '4': 'Đồng ý', '5': 'Hoàn toàn đồng ý' };
  var TOO_FEW = 'Quá ít để đánh giá';
  var NONE_YET = 'Chưa có người tham gia';

  var fmt1 = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  var fmt2 = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

  var $ = C.$, el = C.el, int = C.int, pad = C.pad, showMsg = C.showMsg, showError = C.showError;
  var api = C.api, download = C.download;
  function n1(x) { return x == null ? '—' : fmt1.format(x); }
  function ciText(ci) { return ci && ci.length === 2 ? fmt1.format(ci[0]) + '–' + fmt1.format(ci[1]) : '—'; }
  function dmy(iso) { // YYYY-MM-DD → DD/MM/YYYY
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || '');
    return m ? m[3] + '/' + m[2] + '/' + m[1] : (iso || '');
  }
  function monthLabel(p) { // YYYY-MM → MM/YYYY
    var m = /^(\d{4})-(\d{2})$/.exec(p || '');
    return m ? m[2] + '/' + m[1] : p;
  }
  function today() {
    var d = new Date();
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate());
  }
  function lastDayOf(month) { // YYYY-MM → YYYY-MM-DD
    var y = +month.slice(0, 4), m = +month.slice(5, 7);
    return month + '-' + pad(new Date(y, m, 0).getDate());
  }
  function qs(params) {
    var parts = [];
    Object.keys(params).forEach(function (k) {
      if (params[k] != null && params[k] !== '') parts.push(encodeURIComponent(k) + '=' + encodeURIComponent(params[k]));
    });
    return parts.join('&');
  }
  function heatClass(rate) {
    if (rate == null) return 'na';
    return rate < 50 ? 'low' : rate < 75 ? 'mid' : 'high';
  }

  // =====================================================================
  // Session and API: session.js
  // =====================================================================
  C.forbiddenMessage('Tài khoản không có quyền xem mục này.');
  C.onUnauthorized(signOut);

  // =====================================================================
  // Sign-in and sign-out
  // =====================================================================
  function showSignin(msg) { C.showSignin('dashboard', msg); }

  function signOut(msg) {
    C.dropSession();
    state.me = null;
    Object.keys(seq).forEach(function (k) { seq[k]++; }); // drop answers still on their way
    destroyCharts();
    showError('');
    showSignin(msg);
  }

  C.bindSignin(start);

  $('signout').addEventListener('click', function () { signOut(''); });

  // =====================================================================
  // State: the user, the unit tree, quizzes and filters
  // =====================================================================
  var state = {
    me: null,
    units: {},        // id → unit
    scopeUnits: [],   // [{unit, depth}] the staff's subtree, in tree order
    quizzes: [],      // published and closed, within scope
    last: {}          // section → {path, params} last loaded, for downloads
  };
  var seq = { awareness: 0, topics: 0, questions: 0, trend: 0, survey: 0, activities: 0 };

  function canReport() {
    var roles = (state.me && state.me.roles) || [];
    return roles.indexOf('admin') >= 0 || roles.indexOf('officer') >= 0;
  }

  function start() {
    showError('');
    $('signin-screen').hidden = true;
    Promise.all([api('GET', '/v1/admin/me'), api('GET', '/v1/units')]).then(function (r) {
      state.me = r[0];
      buildUnits(r[1].units || []);
      renderWho();
      $('dashboard').hidden = false;
      if (!canReport()) {
        setReportsVisible(false, false);
        $('activities').hidden = true;
        $('annual').hidden = true;
        $('filters').hidden = true;
        showMsg($('quiz-note'), 'Tài khoản ' + (ROLE_LABEL[(state.me.roles || [])[0]] || '') +
          ' không xem được báo cáo đánh giá. Trang này dành cho cán bộ văn hóa – xã hội và quản trị viên.');
        return null;
      }
      $('filters').hidden = false;
      $('activities').hidden = false;
      $('annual').hidden = false;
      fillUnitPickers();
      fillActivityForm();
      restoreFilters();
      return api('GET', '/v1/admin/quizzes').then(function (data) {
        state.quizzes = (data.quizzes || []).filter(function (q) { return q.status === 'published' || q.status === 'closed'; });
        fillQuizPicker();
        reloadAll();
      });
    }).catch(function (err) {
      if (err && err.silent) return;
      if (state.me && $('who').hidden === false) { // the quizzes failed: the rest of the page works
        showError(err.message || 'Không tải được danh sách bài.');
        return;
      }
      signOut(err && err.message ? err.message : 'Không tải được trang.');
    });
  }

  function renderWho() { C.renderWho(state.me, state.units); }

  // buildUnits keeps the staff's scope unit and its subtree, in tree order.
  function buildUnits(units) {
    var b = C.buildUnits(units, state.me.scopeUnitId);
    state.units = b.units;
    state.scopeUnits = b.scopeUnits;
  }

  function fillUnitPickers() {
    ['unit', 'activity-unit'].forEach(function (id) {
      var sel = $(id);
      sel.textContent = '';
      state.scopeUnits.forEach(function (e) { sel.appendChild(C.unitOption(e)); });
    });
    if (!state.scopeUnits.length) showError('Không tìm thấy đơn vị phụ trách của tài khoản (' + state.me.scopeUnitId + ').');
  }

  function fillQuizPicker() {
    var sel = $('quiz');
    var prev = sel.value || savedFilters().quiz;
    sel.textContent = '';
    var groups = [
      ['Bài trắc nghiệm, cuộc thi', function (q) { return q.kind !== 'survey'; }],
      ['Khảo sát', function (q) { return q.kind === 'survey'; }]
    ];
    groups.forEach(function (g) {
      var list = state.quizzes.filter(g[1]);
      if (!list.length) return;
      var og = document.createElement('optgroup');
      og.label = g[0];
      list.forEach(function (q) {
        var o = el('option', null, q.title + ' (' + (KIND_LABEL[q.kind] || q.kind) + ', ' + (STATUS_LABEL[q.status] || q.status) + ')');
        o.value = q.id;
        og.appendChild(o);
      });
      sel.appendChild(og);
    });
    if (!state.quizzes.length) {
      var none = el('option', null, '— Chưa có bài nào được công bố —');
      none.value = '';
      sel.appendChild(none);
    }
    if (prev && quizById(prev)) {
      sel.value = prev;
    } else {
      var first = state.quizzes.filter(function (q) { return q.kind !== 'survey' && q.status === 'published'; })[0] ||
        state.quizzes.filter(function (q) { return q.kind !== 'survey'; })[0] || state.quizzes[0];
      if (first) sel.value = first.id;
    }
  }

  function quizById(id) { return C.byId(state.quizzes, id); }

  function savedFilters() {
    try { return JSON.parse(sessionStorage.getItem(KEY_FILTERS) || '{}') || {}; } catch (e) { return {}; }
  }
  function saveFilters(f) {
    try { sessionStorage.setItem(KEY_FILTERS, JSON.stringify(f)); } catch (e) { /* ignore */ }
  }

  function restoreFilters() {
    var f = savedFilters();
    var year = new Date().getFullYear();
    $('unit').value = state.me.scopeUnitId;
    if (f.unit && state.scopeUnits.some(function (e) { return e.unit.id === f.unit; })) $('unit').value = f.unit;
    $('from').value = f.from || year + '-01';
    $('to').value = f.to || year + '-12';
    $('group-by').value = GROUP_HEADING[f.groupBy] ? f.groupBy : 'village';
    $('annual-year').value = year;
    $('activity-unit').value = $('unit').value;
    updateAnnualLinks();
  }

  // filters reads and checks the filter form; null (with a message) when invalid.
  function filters() {
    var f = { unit: $('unit').value, quiz: $('quiz').value, from: $('from').value.trim(), to: $('to').value.trim(), groupBy: $('group-by').value };
    var month = /^\d{4}-(0[1-9]|1[0-2])$/;
    var msg = '';
    if ((f.from && !month.test(f.from)) || (f.to && !month.test(f.to))) msg = 'Tháng phải có dạng năm-tháng, ví dụ 2026-03.';
    else if (f.from && f.to && f.from > f.to) msg = '“Từ tháng” phải trước hoặc bằng “Đến tháng”.';
    showMsg($('filters-error'), msg);
    return msg ? null : f;
  }

  // =====================================================================
  // Loading the sections
  // =====================================================================
  function setReportsVisible(awareness, survey) {
    ['awareness', 'topics', 'questions', 'trend'].forEach(function (id) { $(id).hidden = !awareness; });
    $('survey').hidden = !survey;
  }

  function setStatus(section, msg, isError) {
    var p = document.querySelector('[data-status-for="' + section + '"]');
    if (!p) return;
    p.textContent = msg || '';
    p.className = 'status' + (isError ? ' error' : '');
    p.setAttribute('role', isError ? 'alert' : 'status');
    var sec = $(section);
    if (sec) sec.setAttribute('aria-busy', msg === 'Đang tải…' ? 'true' : 'false');
  }

  // load runs one section's request, ignoring answers overtaken by a newer request.
  function load(section, path, params, render) {
    var my = ++seq[section];
    state.last[section] = { path: path, params: params };
    setStatus(section, 'Đang tải…');
    return api('GET', path + '?' + qs(params)).then(function (data) {
      if (my !== seq[section]) return;
      setStatus(section, '');
      render(data, qs(params));
    }).catch(function (err) {
      if (my !== seq[section] || err.silent) return;
      setStatus(section, err.message, true);
    });
  }

  function reloadAll() {
    var f = filters();
    if (!f) return;
    saveFilters(f);
    var q = quizById(f.quiz);
    updateQuizNote(q);
    $('group-by').disabled = !q || q.kind === 'survey';
    if (!q) {
      setReportsVisible(false, false);
    } else if (q.kind === 'survey') {
      setReportsVisible(false, true);
      load('survey', '/v1/reports/survey', { quizId: q.id, unitId: f.unit, from: f.from, to: f.to }, renderSurvey);
    } else {
      setReportsVisible(true, false);
      var base = { quizId: q.id, unitId: f.unit, from: f.from, to: f.to };
      load('awareness', '/v1/reports/awareness', Object.assign({ groupBy: f.groupBy }, base), renderAwareness);
      load('topics', '/v1/reports/topics', base, renderTopics);
      load('questions', '/v1/reports/questions', { quizId: q.id }, renderQuestions);
      load('trend', '/v1/reports/trend', { quizId: q.id, unitId: f.unit, period: 'month' }, renderTrend);
    }
    loadActivities();
  }

  function loadActivities() {
    var f = filters();
    if (!f) return null;
    return load('activities', '/v1/activities', {
      unitId: f.unit, from: f.from ? f.from + '-01' : '', to: f.to ? lastDayOf(f.to) : ''
    }, renderActivities);
  }

  function updateQuizNote(q) {
    if (!q) {
      showMsg($('quiz-note'), state.quizzes.length ? '' : 'Chưa có bài thi, cuộc thi hay khảo sát nào được công bố trong phạm vi của bạn.');
      return;
    }
    var parts = [(KIND_LABEL[q.kind] || q.kind) + ' ' + (STATUS_LABEL[q.status] || q.status)];
    if (q.opensAt && q.closesAt) parts.push('mở từ ' + dmy(q.opensAt) + ' đến ' + dmy(q.closesAt));
    if (q.passPercent && q.kind !== 'survey') parts.push('đạt khi từ ' + q.passPercent + ' % điểm trở lên');
    showMsg($('quiz-note'), parts.join('; ') + '.');
  }

  var reloadTimer = null;
  $('filters').addEventListener('change', function () {
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(reloadAll, 150);
  });
  $('filters').addEventListener('submit', function (ev) { ev.preventDefault(); reloadAll(); });
  $('unit').addEventListener('change', function () { $('activity-unit').value = $('unit').value; });

  // =====================================================================
  // Sortable tables: buttons in the header cells, keyboard-usable, aria-sort
  // =====================================================================
  var sortState = {}; // table id → {key, dir}

  function setSortValues(tr, values) { tr._sort = values; }

  function sortTable(table) {
    var s = sortState[table.id];
    if (!s) return;
    var type = 'num';
    table.querySelectorAll('thead th[data-sort]').forEach(function (th) {
      var active = th.getAttribute('data-sort') === s.key;
      if (active) {
        type = th.getAttribute('data-type') || 'num';
        th.setAttribute('aria-sort', s.dir > 0 ? 'ascending' : 'descending');
      } else {
        th.removeAttribute('aria-sort');
      }
    });
    var tbody = table.tBodies[0];
    var rows = Array.prototype.slice.call(tbody.rows);
    rows.sort(function (a, b) {
      var x = a._sort ? a._sort[s.key] : null, y = b._sort ? b._sort[s.key] : null;
      if (x == null && y == null) return 0;
      if (x == null) return 1; // missing values last, either way
      if (y == null) return -1;
      var c = type === 'text' ? String(x).localeCompare(String(y), 'vi') : x - y;
      return c * s.dir;
    });
    rows.forEach(function (r) { tbody.appendChild(r); });
  }

  document.addEventListener('click', function (ev) {
    var btn = ev.target.closest && ev.target.closest('table.sortable thead th[data-sort] button');
    if (!btn) return;
    var th = btn.parentNode, table = th.closest('table');
    var key = th.getAttribute('data-sort');
    var s = sortState[table.id];
    var textual = th.getAttribute('data-type') === 'text';
    // Numbers sort from the highest first, text from A.
    sortState[table.id] = { key: key, dir: s && s.key === key ? -s.dir : (textual ? 1 : -1) };
    sortTable(table);
  });

  function cell(tr, tag, cls, text) {
    var c = el(tag, cls, text);
    if (tag === 'th') c.setAttribute('scope', 'row');
    tr.appendChild(c);
    return c;
  }

  // =====================================================================
  // Awareness table and mean chart
  // =====================================================================
  function awarenessRow(r, groupBy, isTotal) {
    var tr = document.createElement('tr');
    if (isTotal) tr.className = 'total';
    else tr.setAttribute('data-key', r.key);
    if (r.suppressed) tr.classList.add('suppressed');
    var village = groupBy === 'village';
    cell(tr, 'th', 'label', isTotal ? 'Tổng: ' + r.label : r.label);
    cell(tr, 'td', 'num participants', int(r.participants));
    cell(tr, 'td', 'num population', village && r.population ? int(r.population) : '—');
    cell(tr, 'td', 'num participation', village ? n1(r.participationRate) : '—');
    if (r.suppressed) {
      cell(tr, 'td', 'mean too-few', r.participants ? TOO_FEW : NONE_YET);
      cell(tr, 'td', 'num ci', '—');
      cell(tr, 'td', 'num pass', '—');
    } else {
      cell(tr, 'td', 'num mean', n1(r.meanScore));
      cell(tr, 'td', 'num ci', ciText(r.ci95));
      cell(tr, 'td', 'num pass', n1(r.passRate));
    }
    setSortValues(tr, {
      label: r.label, participants: r.participants, population: village ? r.population || null : null,
      participation: village ? r.participationRate : null, mean: r.meanScore,
      ci: r.ci95 ? r.ci95[1] - r.ci95[0] : null, pass: r.passRate
    });
    return tr;
  }

  function renderAwareness(data, query) {
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

  var charts = {};
  function destroyCharts() {
    Object.keys(charts).forEach(function (k) { if (charts[k]) charts[k].destroy(); charts[k] = null; });
  }
  function chartReady(id) {
    if (charts[id]) { charts[id].destroy(); charts[id] = null; }
    if (typeof window.Chart !== 'function') {
      $(id).parentNode.setAttribute('data-missing', 'Không tải được thư viện biểu đồ; số liệu có trong bảng.');
      return false;
    }
    return true;
  }

  // errorBars draws each bar's 95 % interval from dataset.ci95 ([lo, hi] or null per bar).
  var errorBars = {
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

  function drawMeanChart(rows, groupBy) {
    var canvas = $('mean-chart');
    var what = (GROUP_HEADING[groupBy] || 'thôn').toLowerCase();
    canvas.setAttribute('aria-label', 'Biểu đồ điểm trung bình theo ' + what + ' (%), có khoảng tin cậy 95 %: ' +
      (rows.map(function (r) {
        return r.label + ' ' + (r.suppressed ? (r.participants ? TOO_FEW.toLowerCase() : NONE_YET.toLowerCase()) : n1(r.meanScore) + ' (' + ciText(r.ci95) + ')');
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
                return 'Điểm TB ' + n1(r.meanScore) + ' (KTC 95 %: ' + ciText(r.ci95) + '), ' + int(r.participants) + ' người';
              }
            }
          }
        }
      },
      plugins: [errorBars]
    });
  }

  function heatColor(rate) {
    return rate == null ? '#cccccc' : rate < 50 ? '#e57368' : rate < 75 ? '#f2b84b' : '#5fae6b';
  }

  // =====================================================================
  // Village × topic heat table
  // =====================================================================
  function renderTopics(data) {
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
      b.appendChild(el('span', 'lbl', t.label || TOPICS[t.topic] || t.topic));
      h.appendChild(b);
      head.appendChild(h);
    });
    th = el('th');
    th.scope = 'col';
    th.setAttribute('data-sort', 'weakest');
    th.setAttribute('data-type', 'text');
    th.appendChild(el('button', null, 'Nội dung cần tăng cường')).type = 'button';
    head.appendChild(th);

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
    cell(tr, 'td', 'num participants', int(r.participants));
    var byTopic = {};
    (r.cells || []).forEach(function (c) { byTopic[c.topic] = c; });
    var sortValues = { label: r.label, participants: r.participants };
    var weakest = null;
    topics.forEach(function (t) {
      var c = byTopic[t.topic] || {};
      var rate = r.suppressed ? null : c.correctRate;
      var td = cell(tr, 'td', 'num heat ' + heatClass(rate), rate == null ? '—' : n1(rate));
      td.setAttribute('data-topic', t.topic);
      td.title = (t.label || TOPICS[t.topic]) + ': ' + (rate == null ? (r.suppressed ? TOO_FEW : 'chưa có câu trả lời') : n1(rate) + ' % trả lời đúng') +
        (c.answered != null ? ' (' + int(c.answered) + ' lượt trả lời)' : '');
      sortValues['t:' + t.topic] = rate;
      if (rate != null && (!weakest || rate < weakest.rate)) weakest = { topic: t, rate: rate };
    });
    var w = weakest ? weakest.topic.topic + '. ' + (weakest.topic.label || TOPICS[weakest.topic.topic]) : '';
    cell(tr, 'td', 'weakest', r.suppressed ? (r.participants ? TOO_FEW : NONE_YET) : (w || '—'));
    sortValues.weakest = w || null;
    setSortValues(tr, sortValues);
    return tr;
  }

  // =====================================================================
  // Question analysis
  // =====================================================================
  function renderQuestions(data) {
    var table = $('questions-table');
    var tbody = table.tBodies[0];
    tbody.textContent = '';
    var list = data.questions || [];
    list.forEach(function (q) {
      var tr = document.createElement('tr');
      tr.setAttribute('data-question', q.questionId);
      if (q.flag) tr.className = 'flag-' + q.flag;
      cell(tr, 'th', 'qtext', q.text);
      cell(tr, 'td', 'topic', q.topic ? q.topic + '. ' + (TOPICS[q.topic] || '') : '—');
      cell(tr, 'td', 'num n', int(q.n));
      cell(tr, 'td', 'num facility', q.facility == null ? '—' : n1(q.facility * 100));
      cell(tr, 'td', 'num discrimination', q.discrimination == null ? '—' : fmt2.format(q.discrimination));
      var f = cell(tr, 'td', 'flag ' + (!q.flag ? 'flag-fine' : q.flag === 'too_few' ? 'flag-few' : 'flag-warn'), FLAG_LABEL[q.flag] != null ? FLAG_LABEL[q.flag] : q.flag);
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

  // =====================================================================
  // Trend: this year against last year, by month
  // =====================================================================
  function trendCells(tr, p) {
    cell(tr, 'td', 'num participants', int(p.participants));
    if (p.suppressed) {
      cell(tr, 'td', 'mean too-few', p.participants ? TOO_FEW : NONE_YET);
      cell(tr, 'td', 'num ci', '—');
      cell(tr, 'td', 'num pass', '—');
    } else {
      cell(tr, 'td', 'num mean', n1(p.meanScore));
      cell(tr, 'td', 'num ci', ciText(p.ci95));
      cell(tr, 'td', 'num pass', n1(p.passRate));
    }
  }

  function renderTrend(data) {
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
      cell(tr, 'td', 'num mean', signed(thisYear.meanScore - lastYear.meanScore, n1) + ' điểm');
      cell(tr, 'td', 'num ci', '');
      cell(tr, 'td', 'num pass', thisYear.passRate != null && lastYear.passRate != null ? signed(thisYear.passRate - lastYear.passRate, n1) + ' điểm' : '—');
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

  function signed(x, f) { return (x > 0 ? '+' : x < 0 ? '−' : '') + f(Math.abs(x)); }

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
      d.data.forEach(function (v, i) { if (v != null) parts.push('tháng ' + (i + 1) + ': ' + n1(v)); });
      return d.label + ' — ' + (parts.join(', ') || 'chưa có dữ liệu');
    }).join('; ') + '.');
    if (!chartReady('trend-chart')) return;
    charts['trend-chart'] = new window.Chart(canvas, {
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
    });
  }

  // =====================================================================
  // Survey results
  // =====================================================================
  function optionText(q, o) {
    if (q.kind === 'likert' && LIKERT[o.optionId] && (!o.text || o.text === o.optionId)) return o.optionId + ' – ' + LIKERT[o.optionId];
    return o.text || o.optionId;
  }

  function renderSurvey(data) {
    var body = $('survey-body');
    body.textContent = '';
    var n = data.participants || 0;
    body.appendChild(el('p', 'lead', 'Số người trả lời: ' + int(n) +
      (n < MIN_GROUP ? ' — quá ít để tính tỷ lệ; chỉ hiện số lượt chọn.' : '.')));
    (data.questions || []).forEach(function (q, qi) {
      var box = el('div', 'survey-q');
      box.setAttribute('data-question', q.questionId);
      body.appendChild(box);
      if (!q.options || !q.options.length) {
        box.appendChild(el('h3', null, (qi + 1) + '. ' + q.text));
        box.appendChild(el('p', 'muted', 'Câu hỏi trả lời tự do: không thống kê theo lựa chọn. Tải tệp Excel để xem tổng hợp.'));
        return;
      }
      var wrap = el('div', 'table-wrap');
      var table = el('table', 'data survey-table');
      var cap = el('caption', null, (qi + 1) + '. ' + q.text + (q.kind === 'multiple' ? ' (được chọn nhiều đáp án)' : ''));
      table.appendChild(cap);
      var thead = table.createTHead().insertRow();
      ['Lựa chọn', 'Số lượt chọn', 'Tỷ lệ (%)'].forEach(function (h, i) {
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
        td.appendChild(el('span', 'pval', o.percent == null ? '—' : n1(o.percent)));
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
        cell(tr, 'td', 'num', int(o.count) + (o.percent == null ? '' : ' (' + n1(o.percent) + ')'));
      });
    });
    wrap.appendChild(table);
    det.appendChild(wrap);
    return det;
  }

  // =====================================================================
  // Activity log
  // =====================================================================
  function fillActivityForm() {
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
      label.appendChild(el('span', null, code + '. ' + TOPICS[code]));
      box.appendChild(label);
    });
    $('activity-date').value = today();
    $('activity-date').max = today();
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
      tc.title = topics.map(function (t) { return t + '. ' + (TOPICS[t] || t); }).join('; ');
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

  // =====================================================================
  // Downloads: every table as CSV/XLSX, and the annual evaluation
  // =====================================================================
  document.addEventListener('click', function (ev) {
    var btn = ev.target.closest && ev.target.closest('button[data-download]');
    if (!btn) return;
    var section = btn.getAttribute('data-download'), format = btn.getAttribute('data-format');
    var last = state.last[section];
    if (!last) {
      setStatus(section, 'Chưa có số liệu để tải.', true);
      return;
    }
    var params = Object.assign({}, last.params, { format: format });
    btn.disabled = true;
    download(last.path + '?' + qs(params), section + '.' + format).then(function () {
      btn.disabled = false;
    }, function (err) {
      btn.disabled = false;
      if (!err.silent) setStatus(section, err.message, true);
    });
  });

  function annualPath(format) {
    return '/v1/reports/annual?' + qs({ unitId: $('unit').value, year: $('annual-year').value.trim(), format: format });
  }
  function updateAnnualLinks() {
    $('annual-xlsx').href = annualPath('xlsx');
    $('annual-html').href = annualPath('html');
  }
  $('annual-year').addEventListener('input', updateAnnualLinks);
  $('unit').addEventListener('change', updateAnnualLinks);

  function annualClick(format) {
    return function (ev) {
      ev.preventDefault();
      var year = $('annual-year').value.trim();
      if (!/^\d{4}$/.test(year)) {
        setStatus('annual', 'Vui lòng nhập năm đánh giá, ví dụ ' + new Date().getFullYear() + '.', true);
        $('annual-year').focus();
        return;
      }
      updateAnnualLinks();
      // The tab must open on the click itself, or a pop-up blocker stops it.
      var win = format === 'html' ? window.open('', '_blank') : null;
      if (win) {
        try { win.document.title = 'Đang tải báo cáo…'; win.document.body.textContent = 'Đang tải báo cáo…'; } catch (e) { /* ignore */ }
      }
      setStatus('annual', 'Đang tải…');
      var unit = state.units[$('unit').value];
      download(annualPath(format), 'danh-gia-' + (unit ? unit.id : '') + '-' + year + '.' + format, win).then(function () {
        setStatus('annual', format === 'html' ? 'Đã mở bản in trong thẻ mới.' : 'Đã tải báo cáo.');
      }, function (err) {
        if (!err.silent) setStatus('annual', err.message, true);
      });
    };
  }
  $('annual-xlsx').addEventListener('click', annualClick('xlsx'));
  $('annual-html').addEventListener('click', annualClick('html'));

  // =====================================================================
  // Start
  // =====================================================================
  if (C.loadSession()) start();
  else showSignin('');
})();
