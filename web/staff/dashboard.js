// Staff dashboard for Resolution 58-NQ/TW: awareness by village, topics, questions,
// survey results, trend, activity log and the annual evaluation. Native ES modules, no
// build. On a slow line every round trip counts (400 ms on 3G), so: the modules of the
// first table are preloaded by index.html; this module asks for the user, the units and
// the quizzes as soon as it runs, while the filters and the awareness table (filters.js)
// are still arriving; the other panels (later.js) and Chart.js come after the table.
import { $, showMsg, showError } from '../lib/dom.js';
import { api, onUnauthorized, forbiddenMessage } from '../lib/api.js';
import { restoreSession, dropSession, signOutEverywhere, showSignin, bindSignin, renderWho, hasRole } from '../lib/session.js';
import { buildUnits } from '../lib/units.js';
import { ROLE_LABEL } from '../lib/labels.js';
import { state } from './state.js';
import { dropPending, setReportsVisible } from './sections.js';
import { destroyCharts } from './charts.js';

forbiddenMessage('Tài khoản không có quyền xem mục này.');
onUnauthorized(signOut);

// panels is filters.js (the filters and, through it, the awareness table), loaded once.
var panels = null;
function loadPanels() { return panels || (panels = import('./filters.js')); }

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
  // The quiz list is asked for with the rest, not after: one round trip less on 3G. Its
  // failure is handled below, for those who see reports.
  var quizzes = api('GET', '/v1/admin/quizzes').then(null, function (err) { return { failed: err }; });
  Promise.all([api('GET', '/v1/admin/me'), api('GET', '/v1/units'), loadPanels()]).then(function (r) {
    var f = r[2];
    state.me = r[0];
    var b = buildUnits(r[1].units || [], state.me.scopeUnitId);
    state.units = b.units;
    state.scopeUnits = b.scopeUnits;
    renderWho(state.me, state.units);
    $('dashboard').hidden = false;
    if (!canReport()) {
      f.laterPanels().then(function (p) { p.fillStaffPanel(); });
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
    f.fillUnitPickers();
    f.restoreFilters();
    return quizzes.then(function (data) {
      if (data.failed) throw data.failed;
      state.quizzes = (data.quizzes || []).filter(function (q) { return q.status === 'published' || q.status === 'closed'; });
      f.fillQuizPicker();
      f.reloadAll();
      // The staff panel and the activity form wait for the first table, as later.js does.
      f.afterFirstTable(function (p) {
        p.fillStaffPanel();
        p.fillActivityForm();
      });
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
