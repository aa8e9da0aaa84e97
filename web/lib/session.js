// The staff pages' sign-in and session, one path in AWS and locally: OAuth 2.0
// authorization code + PKCE (S256), no client secret, against the issuer that
// GET /config.json names ({"auth":{"authorizeUrl","tokenUrl","logoutUrl","clientId",
// "scopes"}}: Cognito's managed login in AWS, the local gateway's issuer locally).
// Tokens live in memory and sessionStorage (never localStorage) as {token (the ID
// token the API's authorizer checks), refreshToken, expiresAt}, are refreshed before
// they expire, and signing out goes through the issuer's logout endpoint. Both pages
// share the sign-in screen (#signin-screen, #signin, #signin-start, #signin-error) and
// the header's user box (#who).
import { $, showMsg } from './dom.js';
import { useToken, ApiError, OFFLINE_MSG } from './api.js';
import { ROLE_LABEL } from './labels.js';

var KEY_TOKEN = 'nq58.staff.token';
var KEY_PENDING = 'nq58.staff.pkce';      // {state, verifier, redirectUri} while at the issuer
var KEY_SIGNEDOUT = 'nq58.staff.signedout'; // set on the way to the logout endpoint
var REFRESH_AHEAD_MS = 5 * 60 * 1000;

var session = null;
var refreshTimer = null;
var configPromise = null;
useToken(function () { return session ? session.token : ''; });

function store(key, v) {
  try {
    if (v == null) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, JSON.stringify(v));
  } catch (e) { /* private mode: memory only */ }
}

function read(key) {
  try { return JSON.parse(sessionStorage.getItem(key) || 'null'); } catch (e) { return null; }
}

// authConfig resolves the issuer's endpoints from /config.json (fetched once).
export function authConfig() {
  if (!configPromise) {
    configPromise = fetch('/config.json', { cache: 'no-cache', credentials: 'same-origin' }).then(function (res) {
      if (!res.ok) throw new Error('config');
      return res.json();
    }).then(function (c) {
      if (!c || !c.auth || !c.auth.authorizeUrl || !c.auth.tokenUrl || !c.auth.clientId) throw new Error('config');
      return c.auth;
    }).catch(function () {
      configPromise = null;
      throw new ApiError(0, 'Không tải được cấu hình đăng nhập. Vui lòng tải lại trang.');
    });
  }
  return configPromise;
}

function base64url(bytes) {
  var s = '';
  for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomString() {
  var b = new Uint8Array(32);
  crypto.getRandomValues(b);
  return base64url(b); // 43 characters, as PKCE wants
}

function challengeOf(verifier) {
  return crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)).then(function (d) {
    return base64url(new Uint8Array(d));
  });
}

// pageURI is this page's address without query or fragment: the redirect and logout URI.
function pageURI() { return location.origin + location.pathname; }

// beginSignin sends the browser to the issuer's login page with a fresh PKCE challenge
// and state; rejects with an ApiError when the configuration cannot be loaded.
export function beginSignin() {
  return authConfig().then(function (cfg) {
    var verifier = randomString();
    var state = randomString();
    return challengeOf(verifier).then(function (challenge) {
      store(KEY_PENDING, { state: state, verifier: verifier, redirectUri: pageURI() });
      var q = new URLSearchParams({
        response_type: 'code', client_id: cfg.clientId, redirect_uri: pageURI(),
        scope: (cfg.scopes || ['openid']).join(' '), state: state,
        code_challenge: challenge, code_challenge_method: 'S256'
      });
      location.assign(cfg.authorizeUrl + '?' + q.toString());
    });
  });
}

function postToken(cfg, params) {
  return fetch(cfg.tokenUrl, {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams(params).toString(), cache: 'no-store', credentials: 'omit'
  }).then(function (res) {
    return res.json().catch(function () { return null; }).then(function (data) {
      if (!res.ok || !data || !data.id_token) throw new ApiError(res.status, 'Đăng nhập không thành công. Vui lòng thử lại.');
      return data;
    });
  }, function () {
    throw new ApiError(0, OFFLINE_MSG);
  });
}

function keep(data, refreshToken) {
  var s = {
    token: data.id_token,
    refreshToken: data.refresh_token || refreshToken || '',
    expiresAt: new Date(Date.now() + (data.expires_in || 3600) * 1000).toISOString()
  };
  saveSession(s);
  return s;
}

// scheduleRefresh renews the tokens a few minutes before they expire.
function scheduleRefresh() {
  clearTimeout(refreshTimer);
  refreshTimer = null;
  if (!session || !session.refreshToken || !session.expiresAt) return;
  var wait = Math.max(0, Date.parse(session.expiresAt) - Date.now() - REFRESH_AHEAD_MS);
  refreshTimer = setTimeout(function () { refreshNow().catch(function () { /* the next 401 signs out */ }); }, wait);
}

// refreshNow exchanges the refresh token for a new ID token (grant_type=refresh_token).
export function refreshNow() {
  var s = session;
  if (!s || !s.refreshToken) return Promise.reject(new ApiError(401, ''));
  return authConfig().then(function (cfg) {
    return postToken(cfg, { grant_type: 'refresh_token', client_id: cfg.clientId, refresh_token: s.refreshToken });
  }).then(function (data) {
    if (session !== s) return session; // signed out meanwhile
    keep(data, s.refreshToken);
    return session;
  });
}

// restoreSession finishes a sign-in that comes back from the issuer (?code=&state=),
// or takes the stored session (refreshing it when it expired). Resolves
// {ok, message}: ok when signed in, else the message for the sign-in screen.
export function restoreSession() {
  var params = new URLSearchParams(location.search);
  if (params.has('code') || params.has('error')) {
    var pending = read(KEY_PENDING);
    store(KEY_PENDING, null);
    history.replaceState(null, '', location.pathname + location.hash); // the code is single-use; keep it out of history
    if (params.has('error') || !pending || !params.get('state') || params.get('state') !== pending.state) {
      return Promise.resolve({ ok: false, message: 'Đăng nhập không thành công. Vui lòng thử lại.' });
    }
    return authConfig().then(function (cfg) {
      return postToken(cfg, {
        grant_type: 'authorization_code', client_id: cfg.clientId, code: params.get('code'),
        redirect_uri: pending.redirectUri, code_verifier: pending.verifier
      });
    }).then(function (data) {
      keep(data);
      return { ok: true };
    }, function (err) {
      return { ok: false, message: err.message };
    });
  }
  if (read(KEY_SIGNEDOUT)) {
    store(KEY_SIGNEDOUT, null);
    return Promise.resolve({ ok: false, message: '', signedOut: true });
  }
  var s = read(KEY_TOKEN);
  if (!s || !s.token) return Promise.resolve({ ok: false, message: '' });
  session = s;
  if (!s.expiresAt || Date.parse(s.expiresAt) - Date.now() > REFRESH_AHEAD_MS) {
    scheduleRefresh();
    return Promise.resolve({ ok: true });
  }
  return refreshNow().then(function () { return { ok: true }; }, function () {
    dropSession();
    return { ok: false, message: 'Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.' };
  });
}

export function saveSession(s) {
  session = s;
  store(KEY_TOKEN, s);
  scheduleRefresh();
}

// dropSession forgets the tokens on this page (a 401 or before signing out).
export function dropSession() {
  session = null;
  clearTimeout(refreshTimer);
  refreshTimer = null;
  store(KEY_TOKEN, null);
}

// signOutEverywhere forgets the tokens and ends the issuer's session through its logout
// endpoint, which sends the browser back to this page's sign-in screen.
export function signOutEverywhere() {
  dropSession();
  return authConfig().then(function (cfg) {
    store(KEY_SIGNEDOUT, true);
    if (!cfg.logoutUrl) { location.reload(); return; }
    var q = new URLSearchParams({ client_id: cfg.clientId, logout_uri: pageURI() });
    location.assign(cfg.logoutUrl + (cfg.logoutUrl.indexOf('?') >= 0 ? '&' : '?') + q.toString());
  });
}

// showSignin hides the page (the element with id page) and the header's user box and
// shows the sign-in screen, with msg (if any) as its error.
export function showSignin(page, msg, note) {
  $(page).hidden = true;
  $('who').hidden = true;
  $('signin-screen').hidden = false;
  showMsg($('signin-error'), msg);
  showMsg($('signin-note'), note || '');
  $('signin-start').disabled = false;
  $('signin-start').focus();
}

// bindSignin makes the sign-in screen's button go to the issuer's login page.
export function bindSignin() {
  $('signin').addEventListener('submit', function (ev) {
    ev.preventDefault();
    showMsg($('signin-error'), '');
    $('signin-start').disabled = true;
    beginSignin().catch(function (err) {
      $('signin-start').disabled = false;
      showMsg($('signin-error'), err.message);
    });
  });
}

// renderWho shows the user, their roles and their scope unit in the header.
export function renderWho(me, units) {
  var unit = units[me.scopeUnitId];
  $('user-name').textContent = me.username;
  $('user-role').textContent = (me.roles || []).map(function (r) { return ROLE_LABEL[r] || r; }).join(', ') +
    (unit ? ' — ' + unit.name : '');
  $('who').hidden = false;
}

// can tells whether the signed-in user me may do action: the server's policy lists what
// they may do in GET /v1/admin/me (auth.Abilities), so no page decides by role names.
export function can(me, action) {
  return ((me && me.can) || []).indexOf(action) >= 0;
}
