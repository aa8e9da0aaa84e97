// The start-up every staff page shares: the 403 message, the sign-in screen, the
// header's sign-out button, and the session restored (or the sign-in screen shown)
// before the page loads its data.
import { $ } from './dom.js';
import { onUnauthorized, forbiddenMessage } from './api.js';
import { restoreSession, dropSession, signOutEverywhere, showSignin, bindSignin } from './session.js';

// startStaffPage starts a staff page and returns its signOut(msg), which forgets the
// session, lets the page forget what it showed and shows the sign-in screen with msg.
// o.page is the id of the element shown while signed in; o.forbidden the message for a
// 403; o.signedOut() clears the page's own state on signing out; o.start() loads the
// page once a session is restored. A 401 from any API call signs out.
export function startStaffPage(o) {
  function signOut(msg) {
    dropSession();
    o.signedOut();
    showSignin(o.page, msg);
  }
  reachableScrollAreas();
  forbiddenMessage(o.forbidden);
  onUnauthorized(signOut);
  bindSignin();
  $('signout').addEventListener('click', function () {
    signOut('');
    signOutEverywhere().catch(function (err) { showSignin(o.page, err.message); });
  });
  restoreSession().then(function (r) {
    if (r.ok) o.start();
    else showSignin(o.page, r.message, r.signedOut ? 'Bạn đã đăng xuất.' : '');
  });
  return signOut;
}

// reachableScrollAreas lets the keyboard reach every table's scroll area, now and as
// tables are added: a wide table scrolls sideways on a phone, and a scroll area with
// nothing focusable inside cannot be scrolled without a mouse (WCAG 2.1.1; axe-core's
// rule scrollable-region-focusable, https://dequeuniversity.com/rules/axe/4.14/scrollable-region-focusable).
// Each area is a named region, so a screen reader says what gets the focus.
function reachableScrollAreas() {
  function mark(root) {
    root.querySelectorAll('.table-wrap:not([tabindex])').forEach(function (w) {
      var cap = w.querySelector('caption');
      w.tabIndex = 0;
      w.setAttribute('role', 'region');
      w.setAttribute('aria-label', cap && cap.textContent.trim() ? cap.textContent.trim() : 'Bảng số liệu');
    });
  }
  mark(document);
  new MutationObserver(function (changes) {
    changes.forEach(function (c) {
      c.addedNodes.forEach(function (n) { if (n.nodeType === 1) mark(n.parentNode || n); });
    });
  }).observe(document.body, { childList: true, subtree: true });
}
