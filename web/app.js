// Resident-facing quiz page for Resolution 58-NQ/TW. Plain ES2017, no build.
(function () {
  'use strict';

  var KEY_CLIENT = 'nq58.clientId';
  var KEY_ATTEMPT = 'nq58.attempt';
  // The plan's content sections (II.1 a–h), the topics of scored questions.
  var TOPICS = {
    a: 'Nội dung cốt lõi của Nghị quyết 58',
    b: 'Chủ trương, đường lối của Đảng, Chính phủ',
    c: 'Ý nghĩa Chương trình hành động của Chính phủ',
    d: 'Mục tiêu, nhiệm vụ, giải pháp',
    e: 'Xây dựng Đảng và hệ thống chính trị',
    g: 'Truyền thống, tiềm năng, tứ giác phát triển',
    h: 'Kết quả thực hiện'
  };
  var TIMEOUT_MS = 15000;
  var KIND_LABEL = { quiz: 'Trắc nghiệm', survey: 'Khảo sát', contest: 'Cuộc thi' };
  var STATUS_LABEL = { open: 'Đang mở', upcoming: 'Sắp mở', scheduled: 'Sắp mở', closed: 'Đã đóng', draft: 'Chưa mở' };
  var UNIT_LABEL = { province: 'Tỉnh', district: 'Huyện', commune: 'Xã', ward: 'Phường', town: 'Thị trấn', village: 'Thôn', hamlet: 'Bản', quarter: 'Khu phố' };
  var LIKERT = ['Hoàn toàn không đồng ý', 'Không đồng ý', 'Phân vân', 'Đồng ý', 'Hoàn toàn đồng ý'];
  // The prediction question of contests (its text is not in the public quiz list).
  var PREDICTION_TEXT = 'Dự đoán số bài dự thi của vòng này';
  var MAX_PREDICTION = 100000000;

  var $ = function (id) { return document.getElementById(id); };
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  // ---------- storage (may be unavailable in private mode) ----------
  function load(key) {
    try { var s = localStorage.getItem(key); return s ? JSON.parse(s) : null; } catch (e) { return null; }
  }
  function store(key, val) {
    try { localStorage.setItem(key, JSON.stringify(val)); } catch (e) { /* ignore */ }
  }
  function drop(key) { try { localStorage.removeItem(key); } catch (e) { /* ignore */ } }

  function clientId() {
    var id = null;
    try { id = localStorage.getItem(KEY_CLIENT); } catch (e) { /* ignore */ }
    if (!id) {
      var b = new Uint8Array(16);
      if (window.crypto && crypto.getRandomValues) crypto.getRandomValues(b);
      else for (var i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
      id = Array.prototype.map.call(b, function (x) { return (x < 16 ? '0' : '') + x.toString(16); }).join('');
      try { localStorage.setItem(KEY_CLIENT, id); } catch (e) { /* ignore */ }
    }
    return id;
  }

  // ---------- API ----------
  // Resolves {status, data}; rejects with {network:true} on network failure/timeout.
  function api(method, path, body) {
    var ctrl = typeof AbortController === 'function' ? new AbortController() : null;
    var timer = setTimeout(function () { if (ctrl) ctrl.abort(); }, TIMEOUT_MS);
    var opts = { method: method, headers: { Accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store' };
    if (ctrl) opts.signal = ctrl.signal;
    if (body !== undefined) {
      opts.headers['Content-Type'] = 'application/json';
      opts.body = JSON.stringify(body);
    }
    return fetch(path, opts).then(function (res) {
      return res.text().then(function (txt) {
        var data = null;
        try { data = txt ? JSON.parse(txt) : null; } catch (e) { data = null; }
        return { status: res.status, data: data };
      });
    }).then(function (r) {
      clearTimeout(timer);
      return r;
    }, function () {
      clearTimeout(timer);
      throw { network: true };
    });
  }
  function errMsg(r) {
    if (r && r.data && r.data.error && r.data.error.message) return r.data.error.message;
    if (r && r.status >= 500) return 'Máy chủ đang bận, vui lòng thử lại sau.';
    return 'Có lỗi xảy ra (mã ' + (r ? r.status : '?') + ').';
  }
  var NET_MSG = 'Không có kết nối mạng. Vui lòng kiểm tra và thử lại.';

  // ---------- UI helpers ----------
  function showError(msg) {
    var e = $('error');
    e.textContent = msg || '';
    e.hidden = !msg;
  }
  function show(screenId) {
    ['start-screen', 'question', 'result', 'results-screen'].forEach(function (id) { $(id).hidden = id !== screenId; });
    window.scrollTo(0, 0);
  }
  function mmss(ms) {
    var s = Math.max(0, Math.round(ms / 1000));
    var m = Math.floor(s / 60);
    s = s % 60;
    return (m < 10 ? '0' : '') + m + ':' + (s < 10 ? '0' : '') + s;
  }
  function fmtDate(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime()) || d.getFullYear() < 2000) return ''; // zero time: no date set
    var p = function (n) { return (n < 10 ? '0' : '') + n; };
    return p(d.getHours()) + ':' + p(d.getMinutes()) + ' ' + p(d.getDate()) + '/' + p(d.getMonth() + 1) + '/' + d.getFullYear();
  }
  function fmtLimit(sec) {
    var m = Math.floor(sec / 60), s = sec % 60;
    return (m ? m + ' phút' : '') + (s ? (m ? ' ' : '') + s + ' giây' : '');
  }

  var params = new URLSearchParams(location.search);

  // =====================================================================
  // Start screen: quizzes and units
  // =====================================================================
  var quizzes = [];
  var selectedQuiz = null;

  function renderQuizzes() {
    var list = $('quiz-list');
    list.innerHTML = '';
    list.removeAttribute('aria-busy');
    if (!quizzes.length) {
      list.appendChild(el('p', 'muted', 'Hiện chưa có bài nào đang mở.'));
      return;
    }
    quizzes.forEach(function (q) {
      var b = el('button', 'quiz-item');
      b.type = 'button';
      b.setAttribute('data-quiz-id', q.id);
      b.setAttribute('aria-pressed', selectedQuiz && selectedQuiz.id === q.id ? 'true' : 'false');
      b.appendChild(el('span', 't', q.title));
      var meta = [KIND_LABEL[q.kind] || q.kind];
      if (q.questionCount) meta.push(q.questionCount + ' câu');
      if (q.timeLimitSec > 0) meta.push(fmtLimit(q.timeLimitSec));
      var m = el('span', 'm', meta.join(' · '));
      if (q.status && STATUS_LABEL[q.status]) {
        m.appendChild(document.createTextNode(' · '));
        m.appendChild(el('span', 's' + (q.status === 'open' ? '' : ' off'), STATUS_LABEL[q.status]));
      }
      b.appendChild(m);
      if (q.closesAt && fmtDate(q.closesAt)) b.appendChild(el('span', 'm', 'Hạn: ' + fmtDate(q.closesAt)));
      if (q.description) b.appendChild(el('span', 'd', q.description));
      b.addEventListener('click', function () { selectQuiz(q, true); });
      list.appendChild(b);
    });
  }

  function selectQuiz(q, scroll) {
    selectedQuiz = q;
    var items = document.querySelectorAll('.quiz-item');
    for (var i = 0; i < items.length; i++) {
      items[i].setAttribute('aria-pressed', items[i].getAttribute('data-quiz-id') === String(q.id) ? 'true' : 'false');
    }
    $('chosen-quiz').textContent = 'Bài đã chọn: ' + q.title;
    applyKind(q);
    showError('');
    if (scroll) {
      var f = $('form-title');
      if (f.scrollIntoView) f.scrollIntoView({ block: 'start', behavior: 'smooth' });
    }
  }

  // ----- unit tree -----
  var units = {};      // id -> unit
  var kids = {};       // parentId -> [unit]
  var roots = [];
  var unitPath = [];   // chosen ids from the top level down

  function indexUnits(list) {
    units = {}; kids = {}; roots = [];
    list.forEach(function (u) { units[u.id] = u; });
    list.forEach(function (u) {
      var p = u.parentId;
      if (p != null && p !== '' && units[p]) (kids[p] = kids[p] || []).push(u);
      else roots.push(u);
    });
  }
  function isLeaf(id) { return !kids[id] || !kids[id].length; }
  // A level is skipped (implied) when it has a single option whose children
  // are not leaves, e.g. the one province above the communes.
  function implied(opts) {
    return opts.length === 1 && kids[opts[0].id] && kids[opts[0].id].some(function (c) { return !isLeaf(c.id); });
  }
  function levelLabel(opts) {
    var seen = [];
    opts.forEach(function (u) {
      var l = UNIT_LABEL[u.kind] || 'Đơn vị';
      if (seen.indexOf(l) < 0) seen.push(l);
    });
    return seen.join('/');
  }

  // Removes levels deeper than `depth` and appends the levels below it.
  function buildUnitLevels(depth, opts) {
    var box = $('units');
    var rows = box.querySelectorAll('[data-depth]');
    for (var i = 0; i < rows.length; i++) {
      if (+rows[i].getAttribute('data-depth') >= depth) box.removeChild(rows[i]);
    }
    while (opts && opts.length) {
      var chosen = unitPath[depth];
      if (chosen != null && !opts.some(function (u) { return String(u.id) === String(chosen); })) chosen = null;
      if (implied(opts)) {
        chosen = opts[0].id;
        var cap = el('p', 'small', opts[0].name);
        cap.setAttribute('data-depth', depth);
        box.appendChild(cap);
      } else {
        if (chosen == null && opts.length === 1) chosen = opts[0].id;
        box.appendChild(unitSelect(depth, opts, chosen));
      }
      if (chosen == null) { unitPath.length = depth; return; }
      unitPath[depth] = chosen;
      opts = kids[chosen];
      depth++;
    }
    unitPath.length = depth;
  }

  function unitSelect(depth, opts, chosen) {
    var label = levelLabel(opts);
    var wrap = el('div', 'field');
    wrap.setAttribute('data-depth', depth);
    var id = 'unit-' + depth;
    var lab = el('label', null, label);
    lab.htmlFor = id;
    var sel = el('select', 'unit-select');
    sel.id = id;
    var ph = el('option', null, '— Chọn ' + label.toLowerCase() + ' —');
    ph.value = '';
    sel.appendChild(ph);
    opts.forEach(function (u) {
      var o = el('option', null, u.name);
      o.value = u.id;
      sel.appendChild(o);
    });
    sel.value = chosen == null ? '' : String(chosen);
    sel.addEventListener('change', function () {
      var u = units[sel.value];
      unitPath.length = depth;
      if (u) unitPath[depth] = u.id;
      $('unit-preset').hidden = true;
      buildUnitLevels(depth + 1, u ? kids[u.id] : null);
    });
    wrap.appendChild(lab);
    wrap.appendChild(sel);
    return wrap;
  }

  function chosenLeaf() {
    var id = unitPath[unitPath.length - 1];
    return id != null && units[id] && isLeaf(id) ? units[id] : null;
  }

  function presetUnit(id) {
    var u = units[id];
    if (!u) { showError('Không tìm thấy thôn/đơn vị trong mã QR. Vui lòng chọn thủ công.'); return; }
    var path = [], names = [];
    for (var guard = 0; u && guard < 20; guard++) {
      path.unshift(u.id);
      names.push(u.name);
      u = u.parentId != null ? units[u.parentId] : null;
    }
    unitPath = path;
    var p = $('unit-preset');
    p.textContent = 'Đơn vị: ' + names.join(', ');
    p.hidden = false;
  }

  function loadStart() {
    showError('');
    $('quiz-list').setAttribute('aria-busy', 'true');
    return Promise.all([api('GET', '/v1/quizzes'), api('GET', '/v1/units')]).then(function (rs) {
      var bad = rs.filter(function (r) { return r.status !== 200; })[0];
      if (bad) throw { message: errMsg(bad) };
      quizzes = (rs[0].data && rs[0].data.quizzes) || [];
      indexUnits((rs[1].data && rs[1].data.units) || []);
      var qid = params.get('quiz');
      var q = qid && quizzes.filter(function (x) { return String(x.id) === qid; })[0];
      renderQuizzes();
      if (q) selectQuiz(q, false);
      var uid = params.get('unit');
      if (uid) presetUnit(uid);
      buildUnitLevels(0, roots);
    }).catch(function (e) {
      var list = $('quiz-list');
      list.innerHTML = '';
      list.removeAttribute('aria-busy');
      showError(e && e.network ? NET_MSG : (e && e.message) || 'Có lỗi xảy ra.');
      var b = el('button', 'btn', 'Tải lại');
      b.type = 'button';
      b.addEventListener('click', loadStart);
      list.appendChild(b);
    });
  }

  $('organization').addEventListener('change', function () {
    $('org-other-field').hidden = this.value !== 'Khác';
  });

  function isContest(q) { return !!q && q.kind === 'contest'; }

  // applyKind shows the contest rules and fields (name and phone required, CCCD) when a
  // contest is chosen, and the plain form otherwise.
  function applyKind(q) {
    var contest = isContest(q);
    $('contest-rules').hidden = !contest;
    $('contest-description').textContent = contest && q.description ? q.description : '';
    $('contest-description').hidden = !(contest && q.description);
    $('cccd-field').hidden = !contest;
    $('consent-cccd').hidden = !contest;
    ['name', 'phone'].forEach(function (id) {
      var inp = $(id);
      inp.required = contest;
      if (contest) inp.setAttribute('aria-required', 'true'); else inp.removeAttribute('aria-required');
      $(id + '-opt').textContent = contest ? '(bắt buộc)' : '(không bắt buộc)';
      $(id + '-opt').className = contest ? 'opt req' : 'opt';
    });
    $('consent-help').textContent = contest
      ? 'Bắt buộc đánh dấu để dự thi.'
      : 'Bắt buộc đánh dấu nếu bạn nhập họ tên hoặc số điện thoại.';
    $('start').textContent = contest ? 'Bắt đầu dự thi' : 'Bắt đầu';
  }

  function readParticipant() {
    var p = {};
    var name = $('name').value.trim();
    var phone = $('phone').value.trim();
    var by = $('birth-year').value.trim();
    var g = $('gender').value;
    var org = $('organization').value;
    if (org === 'Khác' && $('organization-other').value.trim()) org = $('organization-other').value.trim();
    if (name) p.name = name;
    if (phone) p.phone = phone;
    var leaf = chosenLeaf();
    if (leaf) p.unitId = leaf.id;
    if (by) {
      var n = parseInt(by, 10);
      if (!/^\d{4}$/.test(by) || n < 1900 || n > new Date().getFullYear()) return { error: 'Năm sinh không hợp lệ (ví dụ: 1980).', field: 'birth-year' };
      p.birthYear = n;
    }
    if (g) p.gender = g;
    if (org) p.organization = org;
    if (isContest(selectedQuiz)) {
      if (!name) return { error: 'Cuộc thi cần họ và tên của người dự thi.', field: 'name' };
      if (!phone) return { error: 'Cuộc thi cần số điện thoại của người dự thi.', field: 'phone' };
      var cccd = $('cccd').value.replace(/[\s.-]/g, '');
      if (cccd) {
        if (!/^\d{12}$/.test(cccd)) return { error: 'Số CCCD phải gồm đúng 12 chữ số.', field: 'cccd' };
        p.cccd = cccd;
      }
    }
    return { participant: p };
  }

  $('form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    startAttempt();
  });

  var starting = false;
  function startAttempt() {
    if (starting) return;
    showError('');
    if (!selectedQuiz) { showError('Vui lòng chọn một bài ở danh sách phía trên.'); $('quiz-list').scrollIntoView(); return; }
    if (!chosenLeaf()) {
      showError('Vui lòng chọn thôn/đơn vị nơi bạn sinh sống.');
      var sels = document.querySelectorAll('select.unit-select');
      for (var i = 0; i < sels.length; i++) if (!sels[i].value) { sels[i].focus(); break; }
      return;
    }
    var r = readParticipant();
    if (r.error) { showError(r.error); $(r.field).focus(); return; }
    var consent = $('consent').checked;
    if (isContest(selectedQuiz) && !consent) {
      showError('Vui lòng đánh dấu ô đồng ý cung cấp thông tin để dự thi.');
      $('consent').focus();
      return;
    }
    if ((r.participant.name || r.participant.phone) && !consent) {
      showError('Vui lòng đánh dấu ô đồng ý nếu bạn nhập họ tên hoặc số điện thoại.');
      $('consent').focus();
      return;
    }
    var quiz = selectedQuiz;
    var btn = $('start');
    starting = true;
    btn.disabled = true;
    btn.textContent = 'Đang bắt đầu…';
    var label = btn.textContent;
    var done = function () { starting = false; btn.disabled = false; btn.textContent = label; };
    api('POST', '/v1/quizzes/' + encodeURIComponent(quiz.id) + '/attempts', {
      participant: r.participant, consent: consent, clientId: clientId()
    }).then(function (res) {
      done();
      if (res.status !== 200 && res.status !== 201) { showError(errMsg(res)); return; }
      var d = res.data || {};
      var now = Date.now();
      var deadline = 0;
      if (quiz.timeLimitSec > 0 && d.expiresAt) {
        // Deadline on the local clock, robust to device clock skew.
        var span = Date.parse(d.expiresAt) - Date.parse(d.startedAt);
        deadline = isNaN(span) ? Date.parse(d.expiresAt) : now + span;
      }
      att = {
        attemptId: d.attemptId, attemptToken: d.attemptToken,
        quizId: quiz.id, quizKind: quiz.kind, quizTitle: quiz.title,
        deadline: deadline, questions: d.questions || [], answers: {}, index: 0, pending: false
      };
      if (isContest(quiz)) att.prediction = '';
      saveAtt();
      resetForm();
      openQuestions();
    }, function () { done(); showError(NET_MSG); });
  }

  function resetForm() {
    ['name', 'phone', 'cccd', 'birth-year', 'organization-other'].forEach(function (id) { $(id).value = ''; });
    $('gender').value = '';
    $('organization').value = '';
    $('org-other-field').hidden = true;
    $('consent').checked = false;
  }

  // =====================================================================
  // Question screen
  // =====================================================================
  var att = null;        // in-progress attempt, mirrored to localStorage
  var tick = null;

  function saveAtt() { if (att) store(KEY_ATTEMPT, att); }

  function openQuestions() {
    showError('');
    show('question');
    renderQuestion();
    startTimer();
  }

  function hasAnswer(a) {
    return !!a && ((a.optionIds && a.optionIds.length) || a.value || (a.text && a.text.trim()));
  }

  // A contest has one more step after its questions: the prediction question.
  function attContest() { return !!att && att.quizKind === 'contest'; }
  function stepCount() { return att.questions.length + (attContest() ? 1 : 0); }

  function setNav(i, total) {
    var last = i === total - 1;
    $('prev').disabled = i === 0;
    $('next').hidden = last;
    $('submit').hidden = !last;
    setSubmitBusy(!!att.pending);
    if (att.timeUp && !att.pending) $('submit').disabled = false;
    updateUnanswered();
  }

  function renderPrediction() {
    var n = att.questions.length;
    $('progress').textContent = 'Câu hỏi dự đoán';
    $('bar-fill').style.width = '100%';
    $('question-topic').textContent = 'Bạn đã trả lời xong ' + n + ' câu hỏi trắc nghiệm';
    $('question-text').textContent = 'Một câu nữa trước khi nộp bài';
    var box = $('answer');
    box.innerHTML = '';
    box.removeAttribute('role');
    box.removeAttribute('aria-labelledby');
    box.hidden = true;
    $('prediction-text').textContent = PREDICTION_TEXT;
    var inp = $('prediction');
    inp.value = att.prediction != null ? att.prediction : '';
    inp.disabled = !!att.pending;
    $('prediction-box').hidden = false;
    setNav(n, n + 1);
    $('question-text').focus();
  }

  $('prediction').addEventListener('input', function () {
    if (!att) return;
    att.prediction = this.value;
    saveAtt();
    updateUnanswered();
  });

  // readPrediction returns the prediction as an integer, or null when it is not one.
  function readPrediction() {
    var v = String(att.prediction == null ? '' : att.prediction).trim();
    if (!/^\d{1,9}$/.test(v)) return null;
    var x = parseInt(v, 10);
    return x <= MAX_PREDICTION ? x : null;
  }

  function renderQuestion() {
    var qs = att.questions, n = qs.length;
    if (!n) { showError('Bài này chưa có câu hỏi.'); return; }
    var total = stepCount();
    var i = Math.max(0, Math.min(att.index || 0, total - 1));
    att.index = i;
    if (i === n) { renderPrediction(); return; }
    $('prediction-box').hidden = true;
    $('answer').hidden = false;
    var q = qs[i];
    var locked = att.pending || att.timeUp;
    $('progress').textContent = 'Câu ' + (i + 1) + '/' + n;
    $('bar-fill').style.width = Math.round((i + 1) * 100 / n) + '%';
    $('question-topic').textContent = q.topic ? 'Chủ đề: ' + (TOPICS[q.topic] || q.topic) : '';
    $('question-text').textContent = q.text;
    var box = $('answer');
    box.innerHTML = '';
    var a = att.answers[q.id] || {};
    box.removeAttribute('role');
    box.removeAttribute('aria-labelledby');
    if (q.kind === 'text') {
      var lab = el('label', null, 'Câu trả lời của bạn');
      lab.htmlFor = 'answer-text';
      lab.style.fontWeight = '600';
      var ta = el('textarea');
      ta.id = 'answer-text';
      ta.maxLength = 500;
      ta.rows = 5;
      ta.value = a.text || '';
      ta.disabled = !!locked;
      var cnt = el('p', 'counter');
      cnt.id = 'answer-count';
      cnt.setAttribute('aria-live', 'polite');
      var upd = function () { cnt.textContent = ta.value.length + '/500 ký tự'; };
      upd();
      ta.addEventListener('input', function () {
        upd();
        if (ta.value) att.answers[q.id] = { text: ta.value }; else delete att.answers[q.id];
        saveAtt();
        updateUnanswered();
      });
      box.appendChild(lab);
      box.appendChild(ta);
      box.appendChild(cnt);
    } else {
      var multi = q.kind === 'multiple';
      var opts = q.kind === 'likert'
        ? LIKERT.map(function (t, k) { return { id: String(k + 1), text: (k + 1) + ' — ' + t }; })
        : (q.options || []);
      box.setAttribute('role', multi ? 'group' : 'radiogroup');
      box.setAttribute('aria-labelledby', 'question-text');
      if (multi) box.appendChild(el('p', 'small', 'Có thể chọn nhiều đáp án.'));
      opts.forEach(function (o) {
        var lab = el('label', 'ans');
        var inp = el('input');
        inp.type = multi ? 'checkbox' : 'radio';
        inp.name = 'opt';
        inp.value = o.id;
        inp.disabled = !!locked;
        if (q.kind === 'likert') inp.checked = a.value === +o.id;
        else inp.checked = !!(a.optionIds && a.optionIds.indexOf(o.id) >= 0);
        if (inp.checked) lab.className = 'ans sel';
        inp.addEventListener('change', function () { onChoice(q); });
        lab.appendChild(inp);
        lab.appendChild(el('span', null, o.text));
        box.appendChild(lab);
      });
    }
    setNav(i, total);
    $('question-text').focus();
  }

  function onChoice(q) {
    var inputs = $('answer').querySelectorAll('input[name="opt"]');
    var ids = [];
    for (var k = 0; k < inputs.length; k++) {
      inputs[k].parentNode.className = inputs[k].checked ? 'ans sel' : 'ans';
      if (inputs[k].checked) ids.push(inputs[k].value);
    }
    if (!ids.length) delete att.answers[q.id];
    else if (q.kind === 'likert') att.answers[q.id] = { value: +ids[0] };
    else att.answers[q.id] = { optionIds: ids };
    saveAtt();
    updateUnanswered();
  }

  function updateUnanswered() {
    var p = $('unanswered');
    if (att.index !== stepCount() - 1) { p.textContent = ''; return; }
    var left = att.questions.filter(function (q) { return !hasAnswer(att.answers[q.id]); }).length;
    var msg = left ? 'Bạn còn ' + left + ' câu chưa trả lời.' : '';
    if (attContest() && readPrediction() == null) msg += (msg ? ' ' : '') + 'Hãy nhập số dự đoán trước khi nộp bài.';
    p.textContent = msg;
  }

  function go(delta) {
    att.index += delta;
    saveAtt();
    renderQuestion();
  }
  $('prev').addEventListener('click', function () { if (att && att.index > 0) go(-1); });
  $('next').addEventListener('click', function () { if (att && att.index < stepCount() - 1) go(1); });
  $('submit').addEventListener('click', function () { submitAttempt(); });

  function startTimer() {
    clearInterval(tick);
    var t = $('timer');
    if (!att || !att.deadline) { t.hidden = true; return; }
    t.hidden = false;
    var step = function () {
      var left = att.deadline - Date.now();
      t.textContent = mmss(left);
      t.className = left < 60000 ? 'low' : '';
      if (left <= 0) {
        clearInterval(tick);
        if (!att.pending) {
          att.timeUp = true;
          saveAtt();
          renderQuestion();
          submitAttempt();
        }
      }
    };
    step();
    tick = setInterval(step, 1000);
  }

  // =====================================================================
  // Submission with retry
  // =====================================================================
  var sending = false, retryTimer = null, retryN = 0;

  function setSubmitBusy(busy) {
    var b = $('submit');
    b.disabled = busy;
    b.textContent = busy ? 'Đang nộp bài…' : 'Nộp bài';
  }

  function buildAnswers() {
    var out = [];
    att.questions.forEach(function (q) {
      var a = att.answers[q.id];
      if (!hasAnswer(a)) return;
      if (q.kind === 'text') out.push({ questionId: q.id, text: a.text.trim() });
      else if (q.kind === 'likert') out.push({ questionId: q.id, value: a.value });
      else out.push({ questionId: q.id, optionIds: a.optionIds });
    });
    return out;
  }

  function submitAttempt() {
    if (!att) return;
    if (!att.pending) {
      var prediction = null;
      if (attContest()) {
        prediction = readPrediction();
        if (prediction == null) {
          // The prediction is required: go to it and ask.
          att.index = att.questions.length;
          saveAtt();
          renderQuestion();
          showError('Vui lòng trả lời câu hỏi dự đoán bằng một số nguyên (ví dụ: 1500).');
          $('prediction').focus();
          return;
        }
      }
      showError('');
      // Freeze answers: retries resend exactly this payload.
      att.pending = true;
      $('abandon').hidden = true;
      att.payload = { attemptToken: att.attemptToken, answers: buildAnswers() };
      if (prediction != null) att.payload.prediction = prediction;
      saveAtt();
      if (!$('question').hidden) renderQuestion();
    }
    sendNow();
  }

  function sendNow() {
    if (sending || !att || !att.pending) return;
    clearTimeout(retryTimer);
    sending = true;
    setSubmitBusy(true);
    $('retry').disabled = true;
    var id = att.attemptId;
    api('POST', '/v1/attempts/' + encodeURIComponent(id) + '/submit', att.payload).then(function (res) {
      sending = false;
      $('retry').disabled = false;
      if (res.status === 200 || res.status === 201) return showResult(res.data || {});
      if (res.status >= 500 || res.status === 408 || res.status === 429) return scheduleRetry();
      if (res.status === 409) return fetchResult();
      failSubmit(res);
    }, function () {
      sending = false;
      $('retry').disabled = false;
      scheduleRetry();
    });
  }

  function scheduleRetry() {
    var delay = Math.min(2000 * Math.pow(2, retryN), 30000);
    retryN++;
    $('retry-notice').hidden = false;
    $('retry-info').textContent = '(thử lại sau ' + Math.round(delay / 1000) + ' giây)';
    clearTimeout(retryTimer);
    retryTimer = setTimeout(sendNow, delay);
  }

  function stopRetry() {
    clearTimeout(retryTimer);
    retryN = 0;
    $('retry-notice').hidden = true;
  }

  $('retry').addEventListener('click', function () { retryN = 0; sendNow(); });
  window.addEventListener('online', function () { if (att && att.pending) { retryN = 0; sendNow(); } });

  // Already submitted (e.g. first response was lost): fetch the stored result.
  function fetchResult() {
    api('GET', '/v1/attempts/' + encodeURIComponent(att.attemptId) + '?token=' + encodeURIComponent(att.attemptToken))
      .then(function (res) {
        if (res.status === 200) showResult(res.data || {});
        else if (res.status >= 500) scheduleRetry();
        else failSubmit(res);
      }, scheduleRetry);
  }

  function failSubmit(res) {
    stopRetry();
    var msg = res.status === 410 ? 'Đã hết giờ làm bài' : errMsg(res);
    if (res.status === 400 || res.status === 422) {
      // Answers rejected: let the user fix and submit again.
      att.pending = false;
      delete att.payload;
      saveAtt();
      renderQuestion();
      showError(msg);
      return;
    }
    // Attempt is unusable (expired, unknown, bad token): give up on it.
    clearInterval(tick);
    drop(KEY_ATTEMPT);
    att = null;
    showError(msg);
    backToStart(false);
  }

  // =====================================================================
  // Result screen
  // =====================================================================
  function optText(q, id) {
    var o = (q.options || []).filter(function (x) { return String(x.id) === String(id); })[0];
    return o ? o.text : String(id);
  }

  function showResult(r) {
    stopRetry();
    clearInterval(tick);
    showError('');
    var a = att;
    var review = r.review || [];
    var survey = a.quizKind === 'survey' || (!r.maxScore && !review.length);
    $('score').textContent = (r.score || 0) + '/' + (r.maxScore || 0);
    $('correct-count').textContent = 'Số câu đúng: ' + (r.correctCount || 0) + '/' + (r.questionCount || a.questions.length);
    $('score-box').hidden = survey;
    $('thanks').hidden = !survey;
    $('duration').textContent = r.durationMs != null ? 'Thời gian làm bài: ' + mmss(r.durationMs) : '';
    var contest = a.quizKind === 'contest';
    $('contest-result').hidden = !contest;
    if (contest) {
      // No review in a contest: the key stays secret until the round closes.
      review = [];
      var pred = r.prediction != null ? r.prediction : (a.payload && a.payload.prediction);
      $('prediction-result').textContent = pred != null ? 'Số dự đoán của bạn: ' + pred : '';
      $('late-note').hidden = r.ranked !== false;
      var link = $('results-link');
      link.hidden = !r.roundId;
      link.parentNode.hidden = !r.roundId;
      if (r.roundId) link.href = '?results=' + encodeURIComponent(a.quizId) + '&round=' + encodeURIComponent(r.roundId);
    }
    var list = $('review');
    list.innerHTML = '';
    var byId = {};
    review.forEach(function (x) { byId[x.questionId] = x; });
    a.questions.forEach(function (q, i) {
      var rv = byId[q.id];
      if (!rv) return;
      var li = el('li', rv.correct ? 'correct' : 'wrong');
      li.setAttribute('data-question-id', q.id);
      li.appendChild(el('p', 'q', 'Câu ' + (i + 1) + '. ' + q.text));
      li.appendChild(el('p', 'mk', rv.correct ? '✓ Đúng' : '✗ Sai'));
      var ans = a.answers[q.id] || {};
      var mine;
      if (q.kind === 'text') mine = ans.text || '';
      else if (q.kind === 'likert') mine = ans.value ? LIKERT[ans.value - 1] : '';
      else mine = (ans.optionIds || []).map(function (id) { return optText(q, id); }).join('; ');
      li.appendChild(el('p', null, 'Bạn chọn: ' + (mine || '(chưa trả lời)')));
      if (rv.correctOptionIds && rv.correctOptionIds.length) {
        li.appendChild(el('p', null, 'Đáp án đúng: ' + rv.correctOptionIds.map(function (id) { return optText(q, id); }).join('; ')));
      }
      list.appendChild(li);
    });
    $('review-title').hidden = !list.children.length;
    att = null;
    drop(KEY_ATTEMPT);
    show('result');
    $('result-title').focus();
  }

  var startLoaded = false;
  function backToStart(focus) {
    show('start-screen');
    selectedQuiz = null;
    $('chosen-quiz').textContent = '';
    applyKind(null);
    if (startLoaded) renderQuizzes();
    else { startLoaded = true; loadStart(); }
    if (focus) $('start-title').focus();
  }
  // Two-step discard of a resumed, unsubmitted attempt (avoids accidental taps).
  $('abandon').addEventListener('click', function () {
    var b = this;
    if (!b.getAttribute('data-armed')) {
      b.setAttribute('data-armed', '1');
      b.textContent = 'Chạm lần nữa để bỏ bài (câu trả lời sẽ bị xóa)';
      return;
    }
    b.hidden = true;
    if (!att || att.pending) return;
    clearInterval(tick);
    drop(KEY_ATTEMPT);
    att = null;
    showError('');
    backToStart(true);
  });
  $('again').addEventListener('click', function () { showError(''); backToStart(true); });

  // =====================================================================
  // Public results of a closed contest round: ?results=<quizId>&round=<roundId>
  // =====================================================================
  var numFmt = typeof Intl === 'object' ? new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 }) : null;
  function num(x) { return x == null ? '—' : numFmt ? numFmt.format(x) : String(x); }
  function tierLabel(t) { return !t ? '' : /^giải/i.test(t) ? t : 'Giải ' + t; }

  function showPublicResults(quizId, roundId) {
    show('results-screen');
    $('results-body').hidden = true;
    $('results-quiz').textContent = 'Vòng thi: ' + roundId;
    var status = $('results-status');
    status.textContent = 'Đang tải…';
    api('GET', '/v1/quizzes').then(function (res) {
      var list = (res.status === 200 && res.data && res.data.quizzes) || [];
      var q = list.filter(function (x) { return String(x.id) === quizId; })[0];
      if (q) $('results-quiz').textContent = q.title + ' — vòng thi: ' + roundId;
    }, function () { /* the title is optional */ });
    api('GET', '/v1/contests/' + encodeURIComponent(quizId) + '/rounds/' + encodeURIComponent(roundId) + '/results').then(function (res) {
      if (res.status === 404) {
        status.textContent = 'Kết quả vòng thi này chưa được công bố. Kết quả xếp hạng được công bố sau khi vòng thi kết thúc.';
        return;
      }
      if (res.status !== 200) { status.textContent = ''; showError(errMsg(res)); return; }
      status.textContent = '';
      renderPublicResults(res.data || {});
    }, function () { status.textContent = ''; showError(NET_MSG); });
    $('results-title').focus();
  }

  function renderPublicResults(d) {
    $('results-truth').textContent = num(d.truth);
    $('results-entries').textContent = num(d.entries);
    $('results-digest').textContent = d.digest || '';
    var top = $('results-top');
    top.innerHTML = '';
    (d.top || []).forEach(function (l) {
      var li = el('li', l.tier ? 'won' : null);
      li.setAttribute('data-rank', l.rank);
      var head = el('p', 'who');
      head.appendChild(el('span', 'rank', 'Hạng ' + l.rank));
      if (l.tier) head.appendChild(el('span', 'tier', tierLabel(l.tier)));
      li.appendChild(head);
      li.appendChild(el('p', 'name', l.name + (l.unit ? ' — ' + l.unit : '')));
      li.appendChild(el('p', 'small', 'SĐT: ' + (l.phone || '—') + ' · Điểm: ' + l.score + '/' + l.maxScore +
        ' · Dự đoán: ' + l.prediction + ' · Thời gian: ' + mmss(l.durationMs || 0)));
      top.appendChild(li);
    });
    if (!top.children.length) top.appendChild(el('li', 'muted', 'Chưa có bài dự thi được xếp hạng.'));
    var labels = {};
    var tbody = $('results-units').querySelector('tbody');
    tbody.innerHTML = '';
    (d.byUnit || []).forEach(function (u) {
      labels[u.unitId] = u.label || u.unitId;
      var tr = el('tr');
      tr.setAttribute('data-unit', u.unitId);
      tr.appendChild(el('th', null, u.label || u.unitId));
      tr.lastChild.scope = 'row';
      tr.appendChild(el('td', 'num', num(u.entrants)));
      tbody.appendChild(tr);
    });
    var coll = $('results-collective');
    coll.innerHTML = '';
    (d.collective || []).filter(function (c) { return c.prize; }).forEach(function (c) {
      var li = el('li', null, (labels[c.unitId] || c.unitId) + ': ' + num(c.entrants) + ' người dự thi, tỷ lệ tham gia ' +
        num(c.participationRate) + ' %');
      li.setAttribute('data-unit', c.unitId);
      coll.appendChild(li);
    });
    $('results-collective-box').hidden = !coll.children.length;
    $('results-body').hidden = false;
  }

  // =====================================================================
  // Boot: resume a stored attempt (and resend a pending submission)
  // =====================================================================
  att = load(KEY_ATTEMPT);
  if (params.get('results') && params.get('round')) {
    // A results link: the attempt in progress (if any) waits in storage.
    att = null;
    showPublicResults(params.get('results'), params.get('round'));
  } else if (att && att.attemptId && att.questions && att.questions.length) {
    att.answers = att.answers || {};
    openQuestions();
    if (att.pending) sendNow();
    else $('abandon').hidden = false;
  } else {
    att = null;
    drop(KEY_ATTEMPT);
    startLoaded = true;
    show('start-screen');
    loadStart();
  }
})();
