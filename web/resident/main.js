// The resident page for Resolution 58-NQ/TW: choose a quiz and a village, answer, see the
// result; or a closed contest round's public results. Native ES modules, no build.
import { $ } from '../lib/dom.js';
import { S, params, loadAtt, dropAtt } from './state.js';
import { screens } from './screens.js';
import { openStart } from './start.js';
import './form.js';

// Boot: resume a stored attempt (and resend a pending submission). Only the start screen
// is imported statically; the other screens come with screens().
var att = loadAtt();
if (params.get('results') && params.get('round')) {
  // A results link: the attempt in progress (if any) waits in storage.
  screens().then(function (m) { m.contest.showPublicResults(params.get('results'), params.get('round')); });
} else if (att && att.attemptId && att.questions && att.questions.length) {
  att.answers = att.answers || {};
  S.att = att;
  screens().then(function (m) {
    m.quiz.openQuestions();
    if (att.pending) m.submit.sendNow();
    else $('abandon').hidden = false;
  });
} else {
  dropAtt();
  openStart();
  // The next screens once the start screen is up and the page idle (their parsing must
  // not hold back drawing the list on a slow phone), so a tap on "Bắt đầu" finds them here.
  window.addEventListener('load', function () {
    var idle = window.requestIdleCallback || function (fn) { setTimeout(fn, 500); };
    idle(function () { screens().catch(function () { /* asked again at the start */ }); }, { timeout: 3000 });
  });
}

// The service worker keeps the page's shell for opening without a network; registered
// after the page has loaded so that it never competes with the first screen.
if ('serviceWorker' in navigator) {
  window.addEventListener('load', function () {
    navigator.serviceWorker.register('sw.js', { scope: './' }).catch(function () { /* the page works without it */ });
  });
}
