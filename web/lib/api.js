// Fetching JSON from the API, its errors, and file downloads.

// ---------------------------------------------------------------------
// Resident pages: no sign-in; every answer is given back with its status.
// ---------------------------------------------------------------------
var PUBLIC_TIMEOUT_MS = 15000;

// NET_MSG is shown when the network is down.
export var NET_MSG = 'Không có kết nối mạng. Vui lòng kiểm tra và thử lại.';

// fetchJSON resolves {status, data}; rejects with {network:true} on network failure/timeout.
export function fetchJSON(method, path, body) {
  return fetchWith(method, path, body, 'no-store');
}

// fetchListJSON is fetchJSON for the public lists (GET /v1/units, /v1/quizzes), which
// the API marks cacheable for a minute with an ETag: the browser answers from its cache
// while fresh, then revalidates (a 304 without a body), so a page opened again asks
// little or nothing.
export function fetchListJSON(path) {
  return fetchWith('GET', path, undefined, 'default');
}

function fetchWith(method, path, body, cacheMode) {
  var ctrl = typeof AbortController === 'function' ? new AbortController() : null;
  var timer = setTimeout(function () { if (ctrl) ctrl.abort(); }, PUBLIC_TIMEOUT_MS);
  var opts = { method: method, headers: { Accept: 'application/json' }, credentials: 'same-origin', cache: cacheMode };
  if (ctrl) opts.signal = ctrl.signal;
  if (body !== undefined) {
    opts.headers['Content-Type'] = 'application/json';
    opts.body = JSON.stringify(body);
  }
  return fetch(path, opts).then(function (res) {
    return res.text().then(function (txt) {
      return { status: res.status, data: parseJSON(txt) };
    });
  }).then(function (r) {
    clearTimeout(timer);
    return r;
  }, function () {
    clearTimeout(timer);
    throw { network: true };
  });
}

// errorMessage is the Vietnamese message for a failed fetchJSON answer.
export function errorMessage(r) {
  if (r && r.data && r.data.error && r.data.error.message) return r.data.error.message;
  if (r && r.status >= 500) return 'Máy chủ đang bận, vui lòng thử lại sau.';
  return 'Có lỗi xảy ra (mã ' + (r ? r.status : '?') + ').';
}

function parseJSON(txt) {
  try { return txt ? JSON.parse(txt) : null; } catch (e) { return null; }
}

// ---------------------------------------------------------------------
// Staff pages: a bearer token, errors as ApiError, a 401 signs the user out.
// ---------------------------------------------------------------------
var STAFF_TIMEOUT_MS = 30000;
export var OFFLINE_MSG = 'Không kết nối được máy chủ. Vui lòng kiểm tra mạng và thử lại.';

var tokenOf = function () { return ''; }; // set by session.js
var unauthorized = null;                  // the page's signOut(msg), called on a 401
var forbidden = 'Tài khoản không có quyền thực hiện việc này.';

// useToken sets where requests take the bearer token from ("" for none).
export function useToken(fn) { tokenOf = fn; }
// onUnauthorized sets the page's handler of a 401 (it gets the message to show).
export function onUnauthorized(fn) { unauthorized = fn; }
// forbiddenMessage sets the page's wording for a 403 without a message from the API.
export function forbiddenMessage(msg) { forbidden = msg; }

// ApiError carries the status and the API's Vietnamese message.
export function ApiError(status, message, silent) {
  this.status = status;
  this.message = message;
  this.silent = !!silent;
}

// errorOf is the ApiError for a status and the answer's JSON body (if any).
export function errorOf(status, data) {
  if (data && data.error && data.error.message) return new ApiError(status, data.error.message);
  if (status === 403) return new ApiError(status, forbidden);
  if (status === 404) return new ApiError(status, 'Không tìm thấy dữ liệu.');
  if (status >= 500) return new ApiError(status, 'Máy chủ đang bận, vui lòng thử lại sau.');
  return new ApiError(status, 'Có lỗi xảy ra (mã ' + status + ').');
}

// request fetches path with the token; resolves the Response when ok, else rejects with
// an ApiError. A 401 signs the user out (through the onUnauthorized callback).
export function request(method, path, body, accept) {
  var ctrl = typeof AbortController === 'function' ? new AbortController() : null;
  var timer = setTimeout(function () { if (ctrl) ctrl.abort(); }, STAFF_TIMEOUT_MS);
  var opts = { method: method, headers: { Accept: accept || 'application/json' }, credentials: 'same-origin', cache: 'no-store' };
  var token = tokenOf();
  if (token) opts.headers.Authorization = 'Bearer ' + token;
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
      throw errorOf(res.status, parseJSON(txt));
    });
  }, function () {
    clearTimeout(timer);
    throw new ApiError(0, OFFLINE_MSG);
  });
}

// sendFile posts a file's bytes (an upload) with the token; resolves {status, data} for
// any answer, so a 422 with row errors can be shown row by row; a 401 signs out. method
// is POST unless given (a sample's frame is a PUT).
export function sendFile(path, buf, contentType, method) {
  var opts = { method: method || 'POST', body: buf, cache: 'no-store', credentials: 'same-origin',
    headers: { 'Content-Type': contentType, Accept: 'application/json' } };
  var token = tokenOf();
  if (token) opts.headers.Authorization = 'Bearer ' + token;
  return fetch(path, opts).then(function (res) {
    if (res.status === 401) {
      if (unauthorized) unauthorized('Phiên đăng nhập đã hết hạn hoặc không hợp lệ. Vui lòng đăng nhập lại.');
      throw new ApiError(401, '', true);
    }
    return res.text().then(function (txt) { return { status: res.status, data: parseJSON(txt) }; });
  }, function () {
    throw new ApiError(0, OFFLINE_MSG);
  });
}

// api is request for JSON: resolves the parsed body (null for 204).
export function api(method, path, body) {
  return request(method, path, body).then(function (res) {
    return res.status === 204 ? null : res.json();
  });
}

// postJSON posts body without a token and resolves {status, ok, data}; rejects with an
// ApiError when the network fails (the sign-in form).
export function postJSON(path, body) {
  return fetch(path, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body), cache: 'no-store'
  }).then(function (res) {
    return res.text().then(function (txt) {
      return { status: res.status, ok: res.ok, data: parseJSON(txt) };
    });
  }, function () {
    throw new ApiError(0, OFFLINE_MSG);
  });
}

// ---------------------------------------------------------------------
// Downloads
// ---------------------------------------------------------------------
// saveBlob offers a Blob as a download through a temporary Blob URL.
export function saveBlob(blob, name) {
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
export function download(path, fallbackName, win) {
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

// fileName reads the file name from a Content-Disposition header ("" when none).
export function fileName(disposition) {
  if (!disposition) return '';
  var m = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
  if (m) {
    try { return decodeURIComponent(m[1]); } catch (e) { /* fall through */ }
  }
  m = /filename\s*=\s*"([^"]*)"/i.exec(disposition) || /filename\s*=\s*([^;]+)/i.exec(disposition);
  return m ? m[1].trim() : '';
}
