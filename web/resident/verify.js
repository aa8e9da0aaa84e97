// Phone verification for contests that require it: "Gửi mã" sends a code by SMS, the
// code is confirmed, and the phone token it gives goes with the start
// (participant.phoneToken). One token serves the person's entries in that contest.
import { $ } from '../lib/dom.js';
import { fetchJSON, errorMessage, NET_MSG } from '../lib/api.js';

var quiz = null;        // the contest shown, when it requires verification
var pending = null;     // {verificationId, phone} while a code is awaited
var verified = {};      // by quiz id: {phone, token, expiresAt}

function digits(s) { return String(s || '').replace(/\D/g, ''); }

var VERIFIED = 'Số điện thoại đã được xác minh.';

// status shows the verification's one message, replacing the one before: a step's news
// (polite), or an error in the error style (announced at once). One state at a time:
// an "ask to verify" never stays above "verified".
function status(msg, isError) {
  $('verify-status').textContent = isError ? '' : msg;
  $('verify-error').textContent = isError ? msg : '';
  $('verify-error').hidden = !(isError && msg);
  if (!isError) $('send-code').removeAttribute('aria-describedby');
}

// askToVerify is the start's refusal of an unverified phone, said in the verification's
// own place right below “Gửi mã”, which takes the focus.
export function askToVerify(msg) {
  status(msg, true);
  var b = $('send-code');
  b.setAttribute('aria-describedby', 'verify-error');
  b.focus({ preventScroll: true });
  if (b.scrollIntoView) b.scrollIntoView({ block: 'center' });
}

// needsVerification reports whether q is a contest that requires a verified phone.
export function needsVerification(q) { return !!q && q.kind === 'contest' && !!q.verifyPhone; }

// applyVerify shows the verification steps for a contest that requires them.
export function applyVerify(q) {
  quiz = needsVerification(q) ? q : null;
  $('verify-field').hidden = !quiz;
  pending = null;
  $('code-box').hidden = true;
  $('sms-code').value = '';
  status(quiz && tokenFor(quiz.id) ? VERIFIED : '');
}

// phoneToken returns the token of the phone typed now for the contest, or ''.
export function phoneToken(quizId) { return tokenFor(quizId); }

function tokenFor(quizId) {
  var v = verified[quizId];
  // The server decides about expiry: the device's clock may be wrong.
  if (!v || v.phone !== digits($('phone').value)) return '';
  return v.token;
}

// forgetToken drops a contest's token the server no longer accepts.
export function forgetToken(quizId) {
  delete verified[quizId];
  if (quiz && quiz.id === quizId) status('');
}

$('phone').addEventListener('input', function () {
  if (!quiz) return;
  if (pending && pending.phone !== digits(this.value)) { pending = null; $('code-box').hidden = true; }
  status(tokenFor(quiz.id) ? VERIFIED : '');
});

$('send-code').addEventListener('click', function () {
  if (!quiz) return;
  var phone = $('phone').value.trim();
  if (!phone) { status('Hãy nhập số điện thoại trước khi bấm “Gửi mã”.', true); $('phone').focus(); return; }
  var btn = this;
  btn.disabled = true;
  status('Đang gửi mã…');
  fetchJSON('POST', '/v1/verifications', { phone: phone, quizId: quiz.id }).then(function (res) {
    btn.disabled = false;
    if (res.status !== 202) { status(errorMessage(res), true); return; }
    pending = { verificationId: res.data.verificationId, phone: digits(phone) };
    $('code-box').hidden = false;
    $('sms-code').value = '';
    status('Mã xác minh đã được gửi qua tin nhắn đến số ' + phone + '. Hãy nhập mã vào ô dưới đây.');
    $('sms-code').focus();
  }, function () { btn.disabled = false; status(NET_MSG, true); });
});

$('confirm-code').addEventListener('click', function () {
  if (!quiz || !pending) return;
  var code = digits($('sms-code').value);
  if (code.length !== 6) { status('Mã xác minh gồm 6 chữ số.', true); $('sms-code').focus(); return; }
  var btn = this;
  var p = pending;
  var quizId = quiz.id;
  btn.disabled = true;
  fetchJSON('POST', '/v1/verifications/' + encodeURIComponent(p.verificationId) + '/confirm', { code: code }).then(function (res) {
    btn.disabled = false;
    if (res.status !== 200) { status(errorMessage(res), true); $('sms-code').focus(); return; }
    verified[quizId] = { phone: p.phone, token: res.data.phoneToken, expiresAt: res.data.expiresAt };
    pending = null;
    $('code-box').hidden = true;
    status(VERIFIED);
  }, function () { btn.disabled = false; status(NET_MSG, true); });
});
