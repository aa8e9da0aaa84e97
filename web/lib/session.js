// The staff pages' sign-in and session: {token, expiresAt} in sessionStorage, shared by
// the dashboard and the contest page, and the sign-in form (#signin, #username,
// #password, #signin-button, #signin-error) and header user box (#who) of both pages.
import { $, showMsg } from './dom.js';
import { useToken, postJSON, errorOf, ApiError } from './api.js';
import { ROLE_LABEL } from './labels.js';

var KEY_TOKEN = 'nq58.staff.token';

var session = null;
useToken(function () { return session ? session.token : ''; });

// loadSession takes the stored session when it is still valid; null otherwise.
export function loadSession() {
  session = null;
  try {
    var s = JSON.parse(sessionStorage.getItem(KEY_TOKEN) || 'null');
    if (s && s.token && (!s.expiresAt || Date.parse(s.expiresAt) > Date.now())) session = s;
  } catch (e) { /* ignore */ }
  return session;
}

export function saveSession(s) {
  session = s;
  try { sessionStorage.setItem(KEY_TOKEN, JSON.stringify(s)); } catch (e) { /* private mode */ }
}

export function dropSession() {
  session = null;
  try { sessionStorage.removeItem(KEY_TOKEN); } catch (e) { /* ignore */ }
}

// showSignin hides the page (the element with id page) and the header's user box and
// shows the sign-in form, with msg (if any) as its error.
export function showSignin(page, msg) {
  $(page).hidden = true;
  $('who').hidden = true;
  $('signin-screen').hidden = false;
  showMsg($('signin-error'), msg);
  $('signin-button').disabled = false;
  $('username').focus();
}

// bindSignin signs in through the local gateway, keeps the session and calls onSignedIn.
export function bindSignin(onSignedIn) {
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
    postJSON('/local/signin', { username: username, password: password }).then(function (r) {
      if (r.status === 401) throw new ApiError(401, 'Sai tên đăng nhập hoặc mật khẩu.');
      if (!r.ok || !r.data || !r.data.token) throw errorOf(r.status, r.data);
      saveSession({ token: r.data.token, expiresAt: r.data.expiresAt || '' });
      $('password').value = '';
      onSignedIn();
    }).catch(function (err) {
      $('signin-button').disabled = false;
      showMsg($('signin-error'), err.message);
      $('password').focus();
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

// hasRole tells whether the signed-in user me has one of roles.
export function hasRole(me, roles) {
  var mine = (me && me.roles) || [];
  return roles.some(function (r) { return mine.indexOf(r) >= 0; });
}
