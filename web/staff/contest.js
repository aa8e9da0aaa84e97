// Organiser page for contests ("Hội thi") on Resolution 58-NQ/TW: create a contest,
// publish it, follow a round's ranking, review flagged entries, close the round and
// export the winners and every entry. Plain ES2017, no build. Officers see it read-only.
(function () {
  'use strict';

  var C = window.StaffCommon; // session.js

  var REFRESH_MS = 15000;
  var RANKING_PAGE = 50;
  var MAX_EXPORT_PAGES = 10000;

  var STATUS_LABEL = C.STATUS_LABEL;
  var RANKING_LABEL = {
    score: 'Điểm cao hơn',
    predictionDistance: 'Dự đoán gần đáp án hơn',
    durationMs: 'Thời gian làm bài ngắn hơn',
    submittedAt: 'Nộp bài sớm hơn'
  };
  var DEFAULT_RANKING = ['score', 'predictionDistance', 'durationMs', 'submittedAt'];
  var DEFAULT_PRIZES = [['Nhất', 1, 2000000], ['Nhì', 2, 1000000], ['Ba', 3, 500000], ['Khuyến khích', 5, 200000]];
  var FLAG_LABEL = {
    fast: 'Làm bài quá nhanh',
    identicalBurst: 'Nhiều bài giống hệt nhau',
    sharedDevice: 'Nhiều người trên một thiết bị',
    manyAttempts: 'Một người dự thi nhiều lượt'
  };
  var COPYABLE = { single: true, multiple: true, truefalse: true };

  var fmt1 = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 });

  var $ = C.$, el = C.el, int = C.int, pad = C.pad, showMsg = C.showMsg, showError = C.showError;
  var api = C.api, request = C.request, download = C.download, saveBlob = C.saveBlob, ApiError = C.ApiError;
  function td(cls, text) { return el('td', cls, text); }
  function when(iso) {
    var d = new Date(iso);
    if (!iso || isNaN(d.getTime()) || d.getFullYear() < 2000) return '—';
    return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ' ' + pad(d.getDate()) + '/' + pad(d.getMonth() + 1) + '/' + d.getFullYear();
  }
  function duration(ms) {
    var s = Math.max(0, Math.round((ms || 0) / 1000));
    return Math.floor(s / 60) + ':' + pad(s % 60);
  }
  function tierLabel(t) { return !t ? '' : /^giải/i.test(t) ? t : 'Giải ' + t; }
  function enc(s) { return encodeURIComponent(s); }

  // =====================================================================
  // Session and API: session.js
  // =====================================================================
  C.forbiddenMessage('Tài khoản không có quyền thực hiện việc này.');
  C.onUnauthorized(signOut);

  // =====================================================================
  // Sign-in and sign-out
  // =====================================================================
  function showSignin(msg) { C.showSignin('app', msg); }

  function signOut(msg) {
    C.dropSession();
    stopRefresh();
    state.me = null;
    state.seq++;
    showError('');
    showSignin(msg);
  }

  C.bindSignin(start);

  $('signout').addEventListener('click', function () { signOut(''); });

  // =====================================================================
  // State
  // =====================================================================
  var state = {
    me: null,
    units: {},        // id → unit
    scopeUnits: [],   // [{unit, depth}] the staff's subtree, in tree order
    quizzes: [],      // every quiz the staff user may see
    contest: null,    // the chosen contest
    round: null,      // the chosen round
    final: false,     // the chosen round's results are frozen
    shown: 0,         // ranking lines shown
    cursor: '',       // next ranking page
    disqualified: {}, // attemptId → true, decided on this page
    seq: 0,           // bumps on every change of contest or round: late answers are dropped
    imported: []      // questions copied into the create form
  };
  var refreshTimer = null;

  function canManage() {
    var roles = (state.me && state.me.roles) || [];
    return roles.indexOf('admin') >= 0 || roles.indexOf('organizer') >= 0;
  }

  function start() {
    showError('');
    $('signin-screen').hidden = true;
    Promise.all([api('GET', '/v1/admin/me'), api('GET', '/v1/units'), api('GET', '/v1/admin/quizzes')]).then(function (r) {
      state.me = r[0];
      buildUnits(r[1].units || []);
      state.quizzes = r[2].quizzes || [];
      renderWho();
      $('app').hidden = false;
      var manage = canManage();
      $('new-contest').hidden = !manage;
      if (!manage) $('create').hidden = true;
      fillContestPicker('');
      onContestChange();
    }).catch(function (err) {
      if (err && err.silent) return;
      signOut(err && err.message ? err.message : 'Không tải được trang.');
    });
  }

  function renderWho() { C.renderWho(state.me, state.units); }

  function buildUnits(units) {
    var b = C.buildUnits(units, state.me.scopeUnitId);
    state.units = b.units;
    state.scopeUnits = b.scopeUnits;
  }
  function unitName(id) { return state.units[id] ? state.units[id].name : (id || ''); }

  function contests() { return state.quizzes.filter(function (q) { return q.kind === 'contest' && q.contest; }); }
  function quizById(id) { return C.byId(state.quizzes, id); }

  // =====================================================================
  // Contest and round pickers
  // =====================================================================
  function fillContestPicker(want) {
    var sel = $('contest-select');
    var prev = want || sel.value;
    sel.textContent = '';
    var list = contests();
    if (!list.length) {
      var none = el('option', null, '— Chưa có cuộc thi nào —');
      none.value = '';
      sel.appendChild(none);
      return;
    }
    list.forEach(function (q) {
      var o = el('option', null, q.title + ' (' + (STATUS_LABEL[q.status] || q.status) + ')');
      o.value = q.id;
      sel.appendChild(o);
    });
    if (prev && list.some(function (q) { return q.id === prev; })) sel.value = prev;
    else {
      var open = list.filter(function (q) { return q.status === 'published'; })[0];
      sel.value = (open || list[0]).id;
    }
  }

  function roundState(r, final) {
    var now = Date.now();
    if (final) return ['final', 'Đã chốt kết quả'];
    if (now < Date.parse(r.opensAt)) return ['upcoming', 'Chưa mở'];
    if (now < Date.parse(r.closesAt)) return ['open', 'Đang mở'];
    return ['ended', 'Đã hết giờ, chờ chốt kết quả'];
  }

  function onContestChange() {
    state.seq++;
    stopRefresh();
    showError('');
    showMsg($('picker-status'), '');
    var q = quizById($('contest-select').value);
    state.contest = q;
    var rsel = $('round-select');
    rsel.textContent = '';
    $('publish').hidden = true;
    if (!q) {
      $('contest-info').textContent = canManage() ? 'Bấm «Tạo cuộc thi mới» để bắt đầu.' : '';
      $('round-panel').hidden = true;
      return;
    }
    var c = q.contest;
    var info = ['Trạng thái: ' + (STATUS_LABEL[q.status] || q.status)];
    if (q.scopeUnitId) info.push('Phạm vi: ' + unitName(q.scopeUnitId));
    info.push((q.questions || []).length + ' câu hỏi');
    if (q.timeLimitSec > 0) info.push(Math.round(q.timeLimitSec / 60) + ' phút mỗi lượt');
    info.push((c.attemptsPerRound || 1) + ' lượt mỗi vòng');
    if (c.prediction && c.prediction.text) info.push('Câu hỏi dự đoán: ' + c.prediction.text);
    $('contest-info').textContent = info.join(' · ');
    $('publish').hidden = !(q.status === 'draft' && canManage());
    var rounds = (c.rounds || []).slice().sort(function (a, b) { return Date.parse(a.opensAt) - Date.parse(b.opensAt); });
    var now = Date.now();
    var pick = null;
    rounds.forEach(function (r) {
      var o = el('option', null, 'Vòng ' + r.id + ' (' + when(r.opensAt) + ' – ' + when(r.closesAt) + ')');
      o.value = r.id;
      rsel.appendChild(o);
      if (Date.parse(r.opensAt) <= now) pick = r.id; // the latest round that has opened
    });
    if (rounds.length) rsel.value = pick || rounds[0].id;
    onRoundChange();
  }

  function onRoundChange() {
    state.seq++;
    stopRefresh();
    showError('');
    var q = state.contest;
    var r = q && (q.contest.rounds || []).filter(function (x) { return x.id === $('round-select').value; })[0];
    state.round = r || null;
    state.final = false;
    state.disqualified = {};
    if (!r) { $('round-panel').hidden = true; return; }
    $('round-panel').hidden = false;
    $('round-title').textContent = 'Vòng thi ' + r.id;
    $('public-link').href = '/?results=' + enc(q.id) + '&round=' + enc(r.id);
    $('digest').textContent = '';
    $('close-entries').textContent = '';
    $('close-result').hidden = true;
    showMsg($('round-status'), '');
    $('winners-section').hidden = true;
    $('winners-table').querySelector('tbody').textContent = '';
    $('ranking-table').querySelector('tbody').textContent = '';
    $('flags-table').querySelector('tbody').textContent = '';
    $('flags-section').hidden = !canManage();
    $('entries-section').hidden = !canManage();
    showMsg($('entries-progress'), '');
    renderRoundInfo();
    var seq = state.seq;
    loadRanking(false).then(function () {
      if (seq !== state.seq) return;
      if (state.final) loadWinners();
      else startRefresh();
    });
    if (canManage()) loadFlags();
  }

  function renderRoundInfo() {
    var r = state.round, box = $('round-info');
    box.textContent = '';
    var st = roundState(r, state.final);
    box.appendChild(el('span', 'state ' + st[0], st[1]));
    box.appendChild(el('span', null, 'Mở: ' + when(r.opensAt)));
    box.appendChild(el('span', null, 'Đóng: ' + when(r.closesAt)));
    if (state.contest.status === 'draft') box.appendChild(el('span', null, 'Cuộc thi chưa được công bố'));
    $('close-round').hidden = !(canManage() && !state.final && state.contest.status !== 'draft');
  }

  $('contest-select').addEventListener('change', onContestChange);
  $('round-select').addEventListener('change', onRoundChange);

  function roundPath() {
    return '/v1/admin/contests/' + enc(state.contest.id) + '/rounds/' + enc(state.round.id);
  }

  $('publish').addEventListener('click', function () {
    var q = state.contest;
    if (!q) return;
    var btn = this;
    btn.disabled = true;
    api('POST', '/v1/admin/quizzes/' + enc(q.id) + '/publish').then(function () {
      btn.disabled = false;
      showMsg($('picker-status'), 'Đã công bố cuộc thi «' + q.title + '»: người dân có thể dự thi khi vòng thi mở.');
      return reloadQuizzes(q.id);
    }).catch(function (err) {
      btn.disabled = false;
      if (!err.silent) showError(err.message);
    });
  });

  function reloadQuizzes(selectId) {
    return api('GET', '/v1/admin/quizzes').then(function (data) {
      var msg = $('picker-status').textContent;
      state.quizzes = data.quizzes || [];
      fillContestPicker(selectId);
      fillSourcePicker();
      onContestChange();
      showMsg($('picker-status'), msg);
    });
  }

  // =====================================================================
  // Ranking: provisional while the round runs (refreshed every 15 s), frozen after close
  // =====================================================================
  function startRefresh() {
    stopRefresh();
    refreshTimer = setInterval(function () {
      if (document.hidden || !state.round || state.final) return;
      loadRanking(true);
    }, REFRESH_MS);
  }
  function stopRefresh() {
    if (refreshTimer) clearInterval(refreshTimer);
    refreshTimer = null;
  }

  // loadRanking loads the first page again (as many lines as shown, on a refresh).
  function loadRanking(refresh) {
    var seq = state.seq;
    var limit = refresh ? Math.min(500, Math.max(RANKING_PAGE, state.shown)) : RANKING_PAGE;
    if (!refresh) showMsg($('ranking-status'), 'Đang tải…');
    return api('GET', roundPath() + '/ranking?limit=' + limit + '&cursor=').then(function (page) {
      if (seq !== state.seq) return;
      var tbody = $('ranking-table').querySelector('tbody');
      tbody.textContent = '';
      state.shown = 0;
      state.final = !!page.final;
      appendRanking(page);
      renderRoundInfo();
      if (state.final) stopRefresh();
      var n = state.shown;
      showMsg($('ranking-status'), (n ? '' : 'Chưa có bài dự thi nào được xếp hạng. ') +
        (state.final ? 'Bảng xếp hạng chính thức (đã chốt).' : 'Bảng tạm tính, tự cập nhật mỗi 15 giây — lần cuối lúc ' + when(new Date().toISOString()) + '.'));
    }).catch(function (err) {
      if (seq !== state.seq || err.silent) return;
      showMsg($('ranking-status'), err.message, true);
    });
  }

  function appendRanking(page) {
    var tbody = $('ranking-table').querySelector('tbody');
    (page.lines || []).forEach(function (l) {
      var tr = el('tr', l.tier ? 'won' : null);
      tr.setAttribute('data-rank', l.rank);
      tr.appendChild(td('num rank', String(l.rank)));
      tr.appendChild(td('tier', tierLabel(l.tier)));
      tr.appendChild(td('name', l.name));
      tr.appendChild(td('unit', l.unit));
      tr.appendChild(td('phone', l.phone));
      tr.appendChild(td('num score', l.score + '/' + l.maxScore));
      tr.appendChild(td('num prediction', String(l.prediction)));
      tr.appendChild(td('num duration', duration(l.durationMs)));
      tbody.appendChild(tr);
      state.shown++;
    });
    state.cursor = page.nextCursor || '';
    $('ranking-more').hidden = !state.cursor;
  }

  $('ranking-more').addEventListener('click', function () {
    var seq = state.seq, btn = this;
    if (!state.cursor) return;
    btn.disabled = true;
    api('GET', roundPath() + '/ranking?limit=' + RANKING_PAGE + '&cursor=' + enc(state.cursor)).then(function (page) {
      btn.disabled = false;
      if (seq === state.seq) appendRanking(page);
    }).catch(function (err) {
      btn.disabled = false;
      if (!err.silent) showMsg($('ranking-status'), err.message, true);
    });
  });
  $('ranking-refresh').addEventListener('click', function () { loadRanking(true); });

  // =====================================================================
  // Flags and disqualification
  // =====================================================================
  function loadFlags() {
    var seq = state.seq;
    showMsg($('flags-status'), 'Đang tải…');
    return api('GET', roundPath() + '/flags').then(function (data) {
      if (seq !== state.seq) return;
      renderFlags(data.flags || []);
    }).catch(function (err) {
      if (seq !== state.seq || err.silent) return;
      showMsg($('flags-status'), err.message, true);
    });
  }

  function renderFlags(flags) {
    var tbody = $('flags-table').querySelector('tbody');
    tbody.textContent = '';
    flags.forEach(function (f) {
      var tr = el('tr');
      tr.setAttribute('data-attempt-id', f.attemptId);
      tr.setAttribute('data-kind', f.kind);
      tr.appendChild(td('kind', FLAG_LABEL[f.kind] || f.kind));
      tr.appendChild(td('detail', f.detail));
      tr.appendChild(td('name', f.name));
      tr.appendChild(td('num score', String(f.score)));
      var action = td('action');
      tr.appendChild(action);
      tbody.appendChild(tr);
      renderFlagAction(tr);
    });
    showMsg($('flags-status'), flags.length ? '' : 'Không có bài nào cần xem xét.');
  }

  function renderFlagAction(tr) {
    var id = tr.getAttribute('data-attempt-id');
    var cell = tr.querySelector('td.action');
    cell.textContent = '';
    if (state.disqualified[id]) {
      tr.classList.add('disqualified');
      cell.appendChild(el('span', null, 'Đã loại'));
      return;
    }
    if (state.final) {
      cell.appendChild(el('span', 'muted', 'Đã chốt kết quả'));
      return;
    }
    var b = el('button', 'btn small disqualify', 'Loại');
    b.type = 'button';
    b.setAttribute('aria-label', 'Loại bài của ' + tr.querySelector('td.name').textContent);
    b.addEventListener('click', function () { openDisqualify(tr); });
    cell.appendChild(b);
  }

  // openDisqualify asks the reason in a form under the flagged row.
  function openDisqualify(tr) {
    var id = tr.getAttribute('data-attempt-id');
    var open = document.querySelector('#flags-table tr.reason-row');
    if (open) open.remove();
    var row = el('tr', 'reason-row');
    row.setAttribute('data-for', id);
    var cell = el('td');
    cell.colSpan = 5;
    var form = el('form', 'inline-form');
    form.noValidate = true;
    var field = el('div', 'field');
    var inputId = 'reason-' + id;
    var lab = el('label', null, 'Lý do loại bài (được ghi vào hồ sơ)');
    lab.htmlFor = inputId;
    var inp = el('input', 'reason');
    inp.type = 'text';
    inp.id = inputId;
    inp.maxLength = 500;
    inp.required = true;
    field.appendChild(lab);
    field.appendChild(inp);
    var ok = el('button', 'btn small primary confirm-disqualify', 'Xác nhận loại');
    ok.type = 'submit';
    var cancel = el('button', 'btn small', 'Hủy');
    cancel.type = 'button';
    var msg = el('p', 'error');
    msg.hidden = true;
    msg.setAttribute('role', 'alert');
    form.appendChild(field);
    form.appendChild(ok);
    form.appendChild(cancel);
    form.appendChild(msg);
    cell.appendChild(form);
    row.appendChild(cell);
    tr.parentNode.insertBefore(row, tr.nextSibling);
    inp.focus();
    cancel.addEventListener('click', function () {
      row.remove();
      var b = tr.querySelector('button.disqualify');
      if (b) b.focus();
    });
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var reason = inp.value.trim();
      if (!reason) { showMsg(msg, 'Vui lòng ghi lý do loại bài.'); inp.focus(); return; }
      ok.disabled = true;
      api('POST', '/v1/admin/contests/' + enc(state.contest.id) + '/entries/' + enc(id) + '/disqualify', { reason: reason }).then(function () {
        state.disqualified[id] = true;
        row.remove();
        var rows = document.querySelectorAll('#flags-table tbody tr[data-attempt-id]');
        for (var i = 0; i < rows.length; i++) if (rows[i].getAttribute('data-attempt-id') === id) renderFlagAction(rows[i]);
        showMsg($('flags-status'), 'Đã loại bài của ' + tr.querySelector('td.name').textContent + '. Lý do: ' + reason);
        loadRanking(true);
      }).catch(function (err) {
        ok.disabled = false;
        if (!err.silent) showMsg(msg, err.message);
      });
    });
  }
  $('flags-refresh').addEventListener('click', function () { loadFlags(); });

  // =====================================================================
  // Close the round, winners and downloads
  // =====================================================================
  $('close-round').addEventListener('click', function () {
    var btn = this, seq = state.seq;
    btn.disabled = true;
    showError('');
    showMsg($('round-status'), 'Đang chốt kết quả…');
    api('POST', roundPath() + '/close').then(function (r) {
      btn.disabled = false;
      if (seq !== state.seq) return;
      showMsg($('round-status'), '');
      showClosed(r);
      stopRefresh();
      return loadRanking(false).then(loadWinners).then(function () {
        var rows = document.querySelectorAll('#flags-table tbody tr[data-attempt-id]');
        for (var i = 0; i < rows.length; i++) renderFlagAction(rows[i]);
      });
    }).catch(function (err) {
      btn.disabled = false;
      if (err.silent) return;
      showMsg($('round-status'), '');
      showError(err.message);
    });
  });

  // showClosed shows the frozen round's digest, true value and (when known) entries.
  function showClosed(r) {
    $('digest').textContent = r.digest || '';
    if (r.entries != null) $('close-entries').textContent = int(r.entries);
    $('close-entries-box').hidden = !$('close-entries').textContent;
    $('close-truth').textContent = int(r.truth);
    $('close-result').hidden = false;
  }

  function loadWinners() {
    var seq = state.seq;
    showMsg($('winners-status'), 'Đang tải…');
    $('winners-section').hidden = false;
    return api('GET', roundPath() + '/winners?format=json').then(function (w) {
      if (seq !== state.seq) return;
      showMsg($('winners-status'), (w.winners || []).length ? '' : 'Không có ai đạt giải cá nhân.');
      $('winners-masked').hidden = !w.masked;
      if (w.digest) showClosed({ digest: w.digest, truth: w.truth });
      renderWinners(w);
    }).catch(function (err) {
      if (seq !== state.seq || err.silent) return;
      showMsg($('winners-status'), err.message, true);
    });
  }

  function renderWinners(w) {
    var tbody = $('winners-table').querySelector('tbody');
    tbody.textContent = '';
    (w.winners || []).forEach(function (x) {
      var tr = el('tr');
      tr.setAttribute('data-rank', x.rank);
      tr.appendChild(td('num rank', String(x.rank)));
      tr.appendChild(td('tier', tierLabel(x.tier)));
      tr.appendChild(td('num amount', int(x.amount)));
      tr.appendChild(td('name', x.name));
      tr.appendChild(td('phone', x.phone));
      tr.appendChild(td('cccd', x.cccd || ''));
      tr.appendChild(td('unit', x.unit || unitName(x.unitId)));
      tr.appendChild(td('org', x.organization || ''));
      tr.appendChild(td('num score', String(x.score)));
      tr.appendChild(td('num prediction', String(x.prediction)));
      tr.appendChild(td('num duration', duration(x.durationMs)));
      tbody.appendChild(tr);
    });
    var cbody = $('collective-table').querySelector('tbody');
    cbody.textContent = '';
    (w.collective || []).forEach(function (u) {
      var tr = el('tr', u.prize ? 'won' : null);
      tr.setAttribute('data-unit', u.unitId);
      tr.appendChild(td('num', String(u.rank)));
      tr.appendChild(td(null, unitName(u.unitId)));
      tr.appendChild(td('num', int(u.entrants)));
      tr.appendChild(td('num', int(u.population)));
      tr.appendChild(td('num', fmt1.format(u.participationRate || 0)));
      tr.appendChild(td('num', fmt1.format(u.entrantsShare || 0)));
      tr.appendChild(td('num', fmt1.format(u.points || 0)));
      tr.appendChild(td(null, u.prize ? 'Có' : ''));
      cbody.appendChild(tr);
    });
  }

  function winnersDownload(format) {
    return function () {
      var btn = this;
      btn.disabled = true;
      showMsg($('winners-status'), 'Đang tải tệp…');
      download(roundPath() + '/winners?format=' + format, 'giai-thuong-' + state.contest.id + '-' + state.round.id + '.' + format).then(function () {
        btn.disabled = false;
        showMsg($('winners-status'), 'Đã tải danh sách đạt giải.');
      }, function (err) {
        btn.disabled = false;
        if (!err.silent) showMsg($('winners-status'), err.message, true);
      });
    };
  }
  $('download-winners-csv').addEventListener('click', winnersDownload('csv'));
  $('download-winners-xlsx').addEventListener('click', winnersDownload('xlsx'));

  // The entries export comes in pages: the first has the BOM and the header, the next
  // cursor is in X-Next-Cursor ("" at the end). The bytes are joined as they came.
  $('download-entries').addEventListener('click', function () {
    var btn = this, seq = state.seq;
    var base = roundPath() + '/entries?format=csv&cursor=';
    var name = 'bai-du-thi-' + state.contest.id + '-' + state.round.id + '.csv';
    var parts = [], bytes = 0, pages = 0, seen = {};
    var progress = $('entries-progress');
    btn.disabled = true;
    function next(cursor) {
      showMsg(progress, 'Đang tải trang ' + (pages + 1) + '… (đã nhận ' + int(Math.round(bytes / 1024)) + ' KB)');
      return request('GET', base + enc(cursor), undefined, 'text/csv').then(function (res) {
        var after = res.headers.get('X-Next-Cursor') || '';
        return res.arrayBuffer().then(function (buf) {
          parts.push(buf);
          bytes += buf.byteLength;
          pages++;
          if (!after) return null;
          if (seen[after] || pages >= MAX_EXPORT_PAGES) throw new ApiError(0, 'Máy chủ trả về trang lặp lại; đã dừng tải.');
          seen[after] = true;
          return next(after);
        });
      });
    }
    next('').then(function () {
      btn.disabled = false;
      if (seq !== state.seq) return;
      saveBlob(new Blob(parts, { type: 'text/csv;charset=utf-8' }), name);
      showMsg(progress, 'Đã tải xong ' + pages + ' trang (' + int(Math.round(bytes / 1024)) + ' KB).');
    }).catch(function (err) {
      btn.disabled = false;
      if (!err.silent) showMsg(progress, err.message, true);
    });
  });

  // =====================================================================
  // Create a contest
  // =====================================================================
  function localInput(d) { // Date → value of a datetime-local input
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + 'T' + pad(d.getHours()) + ':' + pad(d.getMinutes());
  }
  function numberField(cls, label, value, min, max, step) {
    var f = el('div', 'field');
    var lab = el('label', null, label);
    var inp = el('input', cls);
    inp.type = 'number';
    inp.min = min;
    if (max != null) inp.max = max;
    inp.step = step || 1;
    inp.inputMode = 'numeric';
    inp.value = value;
    var id = cls + '-' + Math.random().toString(36).slice(2, 8);
    inp.id = id;
    lab.htmlFor = id;
    f.appendChild(lab);
    f.appendChild(inp);
    return f;
  }

  function addRound(opens, closes) {
    var box = $('c-rounds');
    var row = el('div', 'row-item round-row');
    var rid = el('span', 'rid');
    row.appendChild(rid);
    [['c-open', 'Mở lúc', opens], ['c-close', 'Đóng lúc', closes]].forEach(function (x) {
      var f = el('div', 'field');
      var id = x[0] + '-' + Math.random().toString(36).slice(2, 8);
      var lab = el('label', null, x[1]);
      lab.htmlFor = id;
      var inp = el('input', x[0]);
      inp.type = 'datetime-local';
      inp.id = id;
      inp.value = localInput(x[2]);
      f.appendChild(lab);
      f.appendChild(inp);
      row.appendChild(f);
    });
    var rm = el('button', 'btn small', 'Xóa');
    rm.type = 'button';
    rm.addEventListener('click', function () {
      if (box.children.length > 1) { row.remove(); numberRounds(); }
    });
    row.appendChild(rm);
    box.appendChild(row);
    numberRounds();
  }
  function numberRounds() {
    var rows = $('c-rounds').querySelectorAll('.round-row');
    for (var i = 0; i < rows.length; i++) {
      rows[i].setAttribute('data-round-id', 'r' + (i + 1));
      rows[i].querySelector('.rid').textContent = 'Vòng r' + (i + 1);
      rows[i].querySelector('button').setAttribute('aria-label', 'Xóa vòng r' + (i + 1));
    }
  }
  $('c-add-round').addEventListener('click', function () {
    var rows = $('c-rounds').querySelectorAll('.round-row');
    var last = rows[rows.length - 1];
    var from = last ? new Date(last.querySelector('.c-close').value) : new Date();
    if (isNaN(from.getTime())) from = new Date();
    addRound(from, new Date(from.getTime() + 7 * 86400000));
  });

  function renderRankingOrder(order) {
    var ol = $('c-ranking');
    ol.textContent = '';
    order.forEach(function (key, i) {
      var li = el('li');
      li.setAttribute('data-key', key);
      li.appendChild(el('span', null, RANKING_LABEL[key]));
      var up = el('button', 'btn small', '↑ Lên');
      up.type = 'button';
      up.disabled = i === 0;
      up.setAttribute('aria-label', 'Đưa «' + RANKING_LABEL[key] + '» lên');
      up.addEventListener('click', function () { moveRanking(i, -1); });
      var down = el('button', 'btn small', '↓ Xuống');
      down.type = 'button';
      down.disabled = i === order.length - 1;
      down.setAttribute('aria-label', 'Đưa «' + RANKING_LABEL[key] + '» xuống');
      down.addEventListener('click', function () { moveRanking(i, 1); });
      li.appendChild(up);
      li.appendChild(down);
      ol.appendChild(li);
    });
  }
  function rankingOrder() {
    return Array.prototype.map.call($('c-ranking').children, function (li) { return li.getAttribute('data-key'); });
  }
  function moveRanking(i, delta) {
    var order = rankingOrder();
    var j = i + delta;
    if (j < 0 || j >= order.length) return;
    var t = order[i]; order[i] = order[j]; order[j] = t;
    renderRankingOrder(order);
    var btns = $('c-ranking').children[j].querySelectorAll('button');
    var b = btns[delta < 0 ? 0 : 1];
    (b.disabled ? btns[delta < 0 ? 1 : 0] : b).focus();
  }

  function addPrize(tier, count, amount) {
    var row = el('div', 'prize-row');
    var f = el('div', 'field');
    var id = 'c-tier-' + Math.random().toString(36).slice(2, 8);
    var lab = el('label', null, 'Giải');
    lab.htmlFor = id;
    var inp = el('input', 'c-tier');
    inp.type = 'text';
    inp.id = id;
    inp.maxLength = 50;
    inp.value = tier;
    f.appendChild(lab);
    f.appendChild(inp);
    row.appendChild(f);
    row.appendChild(numberField('c-count', 'Số giải', count, 1, 10000));
    row.appendChild(numberField('c-amount', 'Giá trị mỗi giải (đồng)', amount, 0, null, 1000));
    var rm = el('button', 'btn small', 'Xóa');
    rm.type = 'button';
    rm.setAttribute('aria-label', 'Xóa hạng giải');
    rm.addEventListener('click', function () { row.remove(); });
    row.appendChild(rm);
    $('c-prizes').appendChild(row);
  }
  $('c-add-prize').addEventListener('click', function () { addPrize('', 1, 0); });

  function fillScopePicker() {
    var sel = $('c-scope');
    sel.textContent = '';
    state.scopeUnits.forEach(function (e) { sel.appendChild(C.unitOption(e)); });
    sel.value = state.me.scopeUnitId;
  }

  function copyable(q) {
    return (q.questions || []).filter(function (x) { return COPYABLE[x.kind] && x.correctOptionIds && x.correctOptionIds.length; });
  }
  function fillSourcePicker() {
    var sel = $('c-source');
    var prev = sel.value;
    sel.textContent = '';
    var list = state.quizzes.filter(function (q) {
      return (q.status === 'published' || q.status === 'closed') && q.kind !== 'survey' && copyable(q).length;
    });
    if (!list.length) {
      var none = el('option', null, '— Chưa có bài trắc nghiệm nào đã công bố —');
      none.value = '';
      sel.appendChild(none);
      return;
    }
    list.forEach(function (q) {
      var o = el('option', null, q.title + ' (' + copyable(q).length + ' câu)');
      o.value = q.id;
      sel.appendChild(o);
    });
    if (prev && list.some(function (q) { return q.id === prev; })) sel.value = prev;
  }

  $('c-import').addEventListener('click', function () {
    var q = quizById($('c-source').value);
    if (!q) { showMsg($('c-question-count'), 'Vui lòng chọn một bài để lấy câu hỏi.', true); return; }
    state.imported = copyable(q).map(function (x) {
      var idx = [];
      (x.options || []).forEach(function (o, i) { if (x.correctOptionIds.indexOf(o.id) >= 0) idx.push(i); });
      return {
        kind: x.kind, text: x.text, topic: x.topic || '', points: x.points > 0 ? x.points : 1,
        options: (x.options || []).map(function (o) { return { text: o.text }; }), correctOptionIndexes: idx
      };
    });
    var ul = $('c-questions');
    ul.textContent = '';
    state.imported.forEach(function (x, i) {
      var li = el('li');
      var lab = el('label', 'check');
      var cb = el('input', 'c-q');
      cb.type = 'checkbox';
      cb.checked = true;
      cb.value = String(i);
      cb.addEventListener('change', countQuestions);
      lab.appendChild(cb);
      lab.appendChild(el('span', null, (i + 1) + '. ' + x.text));
      li.appendChild(lab);
      ul.appendChild(li);
    });
    ul.hidden = !state.imported.length;
    countQuestions();
  });
  function chosenQuestions() {
    var out = [];
    var boxes = $('c-questions').querySelectorAll('input.c-q');
    for (var i = 0; i < boxes.length; i++) if (boxes[i].checked) out.push(state.imported[+boxes[i].value]);
    return out;
  }
  function countQuestions() {
    showMsg($('c-question-count'), 'Đã chọn ' + chosenQuestions().length + '/' + state.imported.length + ' câu hỏi.');
  }

  function resetCreateForm() {
    $('create-form').reset();
    $('c-rounds').textContent = '';
    var from = new Date();
    from.setMinutes(0, 0, 0);
    from = new Date(from.getTime() + 3600000);
    addRound(from, new Date(from.getTime() + 7 * 86400000));
    renderRankingOrder(DEFAULT_RANKING.slice());
    $('c-prizes').textContent = '';
    DEFAULT_PRIZES.forEach(function (p) { addPrize(p[0], p[1], p[2]); });
    fillScopePicker();
    fillSourcePicker();
    state.imported = [];
    $('c-questions').textContent = '';
    $('c-questions').hidden = true;
    showMsg($('c-question-count'), '');
    showMsg($('c-error'), '');
    showMsg($('c-done'), '');
  }

  $('new-contest').addEventListener('click', function () {
    var box = $('create');
    var opening = box.hidden;
    if (opening) resetCreateForm();
    box.hidden = !opening;
    this.setAttribute('aria-expanded', opening ? 'true' : 'false');
    if (opening) $('c-title').focus();
  });
  $('c-cancel').addEventListener('click', function () {
    $('create').hidden = true;
    $('new-contest').setAttribute('aria-expanded', 'false');
    $('new-contest').focus();
  });

  function numOf(id, fallback) {
    var v = $(id).value.trim();
    return v === '' ? fallback : Number(v);
  }

  // readContest builds the POST body, or returns {error, field}.
  function readContest() {
    var title = $('c-title').value.trim();
    if (!title) return { error: 'Vui lòng nhập tên cuộc thi.', field: 'c-title' };
    var rounds = [];
    var rows = $('c-rounds').querySelectorAll('.round-row');
    for (var i = 0; i < rows.length; i++) {
      var o = rows[i].querySelector('.c-open'), c = rows[i].querySelector('.c-close');
      var od = new Date(o.value), cd = new Date(c.value);
      var rid = rows[i].getAttribute('data-round-id');
      if (!o.value || isNaN(od.getTime())) return { error: 'Vòng ' + rid + ': vui lòng nhập thời gian mở.', field: o.id };
      if (!c.value || isNaN(cd.getTime())) return { error: 'Vòng ' + rid + ': vui lòng nhập thời gian đóng.', field: c.id };
      if (cd <= od) return { error: 'Vòng ' + rid + ': thời gian đóng phải sau thời gian mở.', field: c.id };
      rounds.push({ id: rid, opensAt: od.toISOString(), closesAt: cd.toISOString() });
    }
    if (!rounds.length) return { error: 'Cần ít nhất một vòng thi.', field: 'c-add-round' };
    var prizes = [];
    var prows = $('c-prizes').querySelectorAll('.prize-row');
    for (var k = 0; k < prows.length; k++) {
      var tier = prows[k].querySelector('.c-tier'), count = prows[k].querySelector('.c-count'), amount = prows[k].querySelector('.c-amount');
      if (!tier.value.trim()) return { error: 'Hạng giải thứ ' + (k + 1) + ' cần có tên.', field: tier.id };
      var n = Number(count.value);
      if (!(n >= 1) || Math.floor(n) !== n) return { error: 'Giải ' + tier.value.trim() + ': số giải phải là số nguyên từ 1.', field: count.id };
      var amt = Number(amount.value || 0);
      if (!(amt >= 0)) return { error: 'Giải ' + tier.value.trim() + ': giá trị giải không được âm.', field: amount.id };
      prizes.push({ tier: tier.value.trim(), count: n, amount: Math.round(amt) });
    }
    var questions = chosenQuestions();
    if (!questions.length) return { error: 'Vui lòng lấy câu hỏi từ một bài đã công bố và chọn ít nhất một câu.', field: 'c-source' };
    var text = $('c-prediction-text').value.trim();
    if (!text) return { error: 'Vui lòng nhập câu hỏi dự đoán.', field: 'c-prediction-text' };
    var minutes = numOf('c-time-limit', 10);
    var opens = rounds.map(function (r) { return Date.parse(r.opensAt); });
    var closes = rounds.map(function (r) { return Date.parse(r.closesAt); });
    return {
      body: {
        kind: 'contest', title: title, description: $('c-description').value.trim(),
        opensAt: new Date(Math.min.apply(null, opens)).toISOString(),
        closesAt: new Date(Math.max.apply(null, closes)).toISOString(),
        timeLimitSec: Math.round(minutes * 60), drawCount: numOf('c-draw', 0), shuffle: true,
        scopeUnitId: $('c-scope').value, questions: questions,
        contest: {
          rounds: rounds, attemptsPerRound: numOf('c-attempts', 1),
          prediction: { text: text, truth: $('c-prediction-truth').value },
          ranking: rankingOrder(), prizes: prizes, prizeCapPercent: numOf('c-cap', 0),
          onePrizePerPerson: $('c-one-prize').checked,
          collective: {
            count: numOf('c-collective-count', 0),
            participationWeight: numOf('c-w-participation', 0.7), entrantsWeight: numOf('c-w-entrants', 0.3)
          },
          fastSecondsPerQuestion: numOf('c-fast', 3), topN: numOf('c-topn', 10)
        }
      }
    };
  }

  $('create-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    showMsg($('c-error'), '');
    showMsg($('c-done'), '');
    var r = readContest();
    if (r.error) {
      showMsg($('c-error'), r.error);
      if ($(r.field)) $(r.field).focus();
      return;
    }
    var btn = $('c-save');
    btn.disabled = true;
    api('POST', '/v1/admin/quizzes', r.body).then(function (out) {
      btn.disabled = false;
      showMsg($('c-done'), 'Đã lưu bản nháp «' + r.body.title + '». Kiểm tra lại rồi bấm «Công bố cuộc thi» để mở cho người dự thi.');
      return reloadQuizzes(out.id);
    }).catch(function (err) {
      btn.disabled = false;
      if (!err.silent) showMsg($('c-error'), err.message);
    });
  });

  // =====================================================================
  // Start
  // =====================================================================
  if (C.loadSession()) start();
  else showSignin('');
})();
