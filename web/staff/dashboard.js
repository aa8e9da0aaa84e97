// Staff dashboard for Resolution 58-NQ/TW: awareness by village, topics, questions,
// survey results, trend, activity log and the annual evaluation. Native ES modules, no
// build; Chart.js (UMD, window.Chart) is loaded before this module from /staff/vendor/.
import { $, showMsg, showError } from '../lib/dom.js';
import { api, onUnauthorized, forbiddenMessage } from '../lib/api.js';
import { restoreSession, dropSession, signOutEverywhere, showSignin, bindSignin, renderWho, hasRole } from '../lib/session.js';
import { buildUnits } from '../lib/units.js';
import { ROLE_LABEL } from '../lib/labels.js';
import { state } from './state.js';
import { dropPending, setReportsVisible } from './sections.js';
import { destroyCharts } from './charts.js';
import { fillUnitPickers, fillQuizPicker, restoreFilters, reloadAll } from './filters.js';
import { fillActivityForm } from './activities.js';
import './downloads.js';
import { fillStaffPanel } from './staffadmin.js';

forbiddenMessage('Tài khoản không có quyền xem mục này.');
onUnauthorized(signOut);

function signOut(msg) {
  dropSession();
  state.me = null;
  $('staff-admin').hidden = true;
  dropPending(); // drop answers still on their way
  destroyCharts();
  showError('');
  showSignin('dashboard', msg);
}

bindSignin();

$('signout').addEventListener('click', function () {
  signOut('');
  signOutEverywhere().catch(function (err) { showSignin('dashboard', err.message); });
});

function canReport() { return hasRole(state.me, ['admin', 'officer']); }

function start() {
  showError('');
  $('signin-screen').hidden = true;
  Promise.all([api('GET', '/v1/admin/me'), api('GET', '/v1/units')]).then(function (r) {
    state.me = r[0];
    var b = buildUnits(r[1].units || [], state.me.scopeUnitId);
    state.units = b.units;
    state.scopeUnits = b.scopeUnits;
    renderWho(state.me, state.units);
    $('dashboard').hidden = false;
    fillStaffPanel();
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

restoreSession().then(function (r) {
  if (r.ok) start();
  else showSignin('dashboard', r.message, r.signedOut ? 'Bạn đã đăng xuất.' : '');
});
