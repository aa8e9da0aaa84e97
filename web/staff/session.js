// Shared by the two staff pages (index.html → staff.js, contest.html → contest.js): the
// sign-in session, the API client, downloads, the sign-in form and a few small helpers.
// Plain ES2017, no build; loaded before the page's own script, as window.StaffCommon.
(function () {
  'use strict';

  var KEY_TOKEN = 'nq58.staff.token';
  var TIMEOUT_MS = 30000;

  var ROLE_LABEL = { admin: 'Quản trị viên', officer: 'Cán bộ văn hóa – xã hội', organizer: 'Ban tổ chức' };
  var STATUS_LABEL = { published: 'đã công bố', closed: 'đã đóng', draft: 'bản nháp' };

  var fmtInt = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 });

  var $ = function (id) { return document.getElementById(id); };
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function int(x) { return x == null ? '—' : fmtInt.format(x); }
  function pad(n) { return (n < 10 ? '0' : '') + n; }
  // showMsg shows msg in node (hidden when empty); a ".status" node also turns red for errors.
  function showMsg(node, msg, isError) {
    node.textContent = msg || '';
    node.hidden = !msg;
    if (node.classList.contains('status')) node.classList.toggle('error', !!isError && !!msg);
  }
  function showError(msg) { showMsg($('error'), msg); }

  // =====================================================================
  // Session: {token, expiresAt} in sessionStorage, shared by both pages
  // =====================================================================
  var session = null;

  // loadSession takes the stored session when it is still valid; null otherwise.
  function loadSession() {
    session = null;
    try {
      var s = JSON.parse(sessionStorage.getItem(KEY_TOKEN) || 'null');
      if (s && s.token && (!s.expiresAt || Date.parse(s.expiresAt) > Date.now())) session = s;
    } catch (e) { /* ignore */ }
    return session;
  }
  function saveSession(s) {
    session = s;
    try { sessionStorage.setItem(KEY_TOKEN, JSON.stringify(s)); } catch (e) { /* private mode */ }
  }
  function dropSession() {
    session = null;
    try { sessionStorage.removeItem(KEY_TOKEN); } catch (e) { /* ignore */ }
  }

  // =====================================================================
  // API
  // =====================================================================
  var unauthorized = null; // the page's signOut(msg), called on a 401
  var forbidden = 'Tài khoản không có quyền thực hiện việc này.';

  function onUnauthorized(fn) { unauthorized = fn; }
  // forbiddenMessage sets the page's wording for a 403 without a message from the API.
  function forbiddenMessage(msg) { forbidden = msg; }

  // ApiError carries the status and the API's Vietnamese message.
  function ApiError(status, message, silent) {
    this.status = status;
    this.message = message;
    this.silent = !!silent;
  }

  function errorOf(status, data) {
    if (data && data.error && data.error.message) return new ApiError(status, data.error.message);
    if (status === 403) return new ApiError(status, forbidden);
    if (status === 404) return new ApiError(status, 'Không tìm thấy dữ liệu.');
    if (status >= 500) return new ApiError(status, 'Máy chủ đang bận, vui lòng thử lại sau.');
    return new ApiError(status, 'Có lỗi xảy ra (mã ' + status + ').');
  }

  // request fetches path with the token; resolves the Response when ok, else rejects with
  // an ApiError. A 401 signs the user out (through the onUnauthorized callback).
  function request(method, path, body, accept) {
    var ctrl = typeof AbortController === 'function' ? new AbortController() : null;
    var timer = setTimeout(function () { if (ctrl) ctrl.abort(); }, TIMEOUT_MS);
    var opts = { method: method, headers: { Accept: accept || 'application/json' }, credentials: 'same-origin', cache: 'no-store' };
    if (session) opts.headers.Authorization = 'Bearer ' + session.token;
    if (ctrl) opts.signal = ctrl.signal;
    if (body !== undefined) {
      opts.headers['Content-Type'] = 'application/json';
      opts.body = JSON.stringify(body);
    }
    return fetch(path, opts).then(function (res) {
      clearTimeout(timer);
      if (res.status === 401) {
        if (unauthorized) unauthorized('Phiên đăng nhập đã hết hạn hoặc không hợp lệ. Vui lòng đăng nhập lại.');
        throw new ApiError(401, '', true);
      }
      if (res.ok) return res;
      return res.text().then(function (txt) {
        var data = null;
        try { data = txt ? JSON.parse(txt) : null; } catch (e) { data = null; }
        throw errorOf(res.status, data);
      });
    }, function () {
      clearTimeout(timer);
      throw new ApiError(0, 'Không kết nối được máy chủ. Vui lòng kiểm tra mạng và thử lại.');
    });
  }
  function api(method, path, body) {
    return request(method, path, body).then(function (res) {
      return res.status === 204 ? null : res.json();
    });
  }

  // =====================================================================
  // Downloads
  // =====================================================================
  // saveBlob offers a Blob as a download through a temporary Blob URL.
  function saveBlob(blob, name) {
    var url = URL.createObjectURL(blob);
    var a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.rel = 'noopener';
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }

  // download fetches a file with the token and saves it (or opens it in win, a tab
  // opened on the click so that pop-up blockers allow it).
  function download(path, fallbackName, win) {
    return request('GET', path, undefined, '*/*').then(function (res) {
      var name = fileName(res.headers.get('Content-Disposition')) || fallbackName;
      return res.blob().then(function (blob) {
        if (!win) {
          saveBlob(blob, name);
          return;
        }
        var url = URL.createObjectURL(blob);
        win.location.href = url;
        setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
      });
    }).catch(function (err) {
      if (win) win.close();
      throw err;
    });
  }
  function fileName(disposition) {
    if (!disposition) return '';
    var m = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
    if (m) {
      try { return decodeURIComponent(m[1]); } catch (e) { /* fall through */ }
    }
    m = /filename\s*=\s*"([^"]*)"/i.exec(disposition) || /filename\s*=\s*([^;]+)/i.exec(disposition);
    return m ? m[1].trim() : '';
  }

  // =====================================================================
  // Sign-in form (#signin, #username, #password, #signin-button, #signin-error)
  // =====================================================================
  // showSignin hides the page (the element with id page) and the header's user box and
  // shows the sign-in form, with msg (if any) as its error.
  function showSignin(page, msg) {
    $(page).hidden = true;
    $('who').hidden = true;
    $('signin-screen').hidden = false;
    showMsg($('signin-error'), msg);
    $('signin-button').disabled = false;
    $('username').focus();
  }

  // bindSignin signs in through the local gateway, keeps the session and calls onSignedIn.
  function bindSignin(onSignedIn) {
    $('signin').addEventListener('submit', function (ev) {
      ev.preventDefault();
      var username = $('username').value.trim();
      var password = $('password').value;
      if (!username || !password) {
        showMsg($('signin-error'), 'Vui lòng nhập tên đăng nhập và mật khẩu.');
        return;
      }
      showMsg($('signin-error'), '');
      $('signin-button').disabled = true;
      fetch('/local/signin', {
        method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ username: username, password: password }), cache: 'no-store'
      }).then(function (res) {
        return res.text().then(function (txt) {
          var data = null;
          try { data = txt ? JSON.parse(txt) : null; } catch (e) { data = null; }
          if (res.status === 401) throw new ApiError(401, 'Sai tên đăng nhập hoặc mật khẩu.');
          if (!res.ok || !data || !data.token) throw errorOf(res.status, data);
          return data;
        });
      }, function () {
        throw new ApiError(0, 'Không kết nối được máy chủ. Vui lòng kiểm tra mạng và thử lại.');
      }).then(function (data) {
        saveSession({ token: data.token, expiresAt: data.expiresAt || '' });
        $('password').value = '';
        onSignedIn();
      }).catch(function (err) {
        $('signin-button').disabled = false;
        showMsg($('signin-error'), err.message);
        $('password').focus();
      });
    });
  }

  // =====================================================================
  // The signed-in user and the unit tree
  // =====================================================================
  // renderWho shows the user, their roles and their scope unit in the header.
  function renderWho(me, units) {
    var unit = units[me.scopeUnitId];
    $('user-name').textContent = me.username;
    $('user-role').textContent = (me.roles || []).map(function (r) { return ROLE_LABEL[r] || r; }).join(', ') +
      (unit ? ' — ' + unit.name : '');
    $('who').hidden = false;
  }

  // buildUnits indexes the units by id and lists the scope unit and its subtree, in tree
  // order: {units: id → unit, scopeUnits: [{unit, depth}]}.
  function buildUnits(list, scopeUnitId) {
    var children = {};
    var units = {};
    list.forEach(function (u) {
      units[u.id] = u;
      (children[u.parentId || ''] = children[u.parentId || ''] || []).push(u);
    });
    var out = [];
    (function walk(id, depth) {
      var u = units[id];
      if (!u) return;
      out.push({ unit: u, depth: depth });
      (children[id] || []).forEach(function (c) { walk(c.id, depth + 1); });
    })(scopeUnitId, 0);
    return { units: units, scopeUnits: out };
  }

  // unitOption is an <option> for a {unit, depth} entry, indented by its depth.
  function unitOption(entry) {
    var indent = '';
    for (var i = 0; i < entry.depth; i++) indent += '\u00a0\u00a0\u00a0\u00a0';
    var o = el('option', null, indent + entry.unit.name);
    o.value = entry.unit.id;
    return o;
  }

  function byId(list, id) {
    for (var i = 0; i < list.length; i++) if (list[i].id === id) return list[i];
    return null;
  }

  window.StaffCommon = {
    ROLE_LABEL: ROLE_LABEL,
    STATUS_LABEL: STATUS_LABEL,
    $: $,
    el: el,
    int: int,
    pad: pad,
    showMsg: showMsg,
    showError: showError,
    loadSession: loadSession,
    saveSession: saveSession,
    dropSession: dropSession,
    onUnauthorized: onUnauthorized,
    forbiddenMessage: forbiddenMessage,
    ApiError: ApiError,
    errorOf: errorOf,
    request: request,
    api: api,
    saveBlob: saveBlob,
    download: download,
    fileName: fileName,
    showSignin: showSignin,
    bindSignin: bindSignin,
    renderWho: renderWho,
    buildUnits: buildUnits,
    unitOption: unitOption,
    byId: byId
  };
})();
