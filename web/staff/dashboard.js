// Staff dashboard for Resolution 58-NQ/TW: awareness by village, topics, questions,
// survey results, trend, activity log and the annual evaluation. Native ES modules,
// loaded as a bundle (infra/webbundle, make bundle). On a slow line every round trip
// counts (400 ms on 3G), so: index.html preloads the bundle's files of the first table;
// this module, in the smallest of them, asks for the user, the units and the quizzes as
// soon as it runs, while the filters and the awareness table (panels.js) still arrive;
// the other panels (later.js) and Chart.js come after the table.
import { $, showMsg, showError } from '../lib/dom.js';
import { api } from '../lib/api.js';
import { renderWho, can } from '../lib/session.js';
import { startStaffPage } from '../lib/staffpage.js';
import { ROLE_LABEL } from '../lib/labels.js';

// panels are the dashboard's own modules of the first table (panels.js), loaded once,
// while the API is already being asked (only what asking needs is imported above).
var panels = null;
function loadPanels() {
  return panels || (panels = import('./panels.js').then(function (m) {
    return { f: m, state: m.state, buildUnits: m.buildUnits, sections: m, awareness: m };
  }));
}
var me = null; // the signed-in staff

var signOut = startStaffPage({
  page: 'dashboard',
  forbidden: 'Tài khoản không có quyền xem mục này.',
  signedOut: signedOut,
  start: start
});

function signedOut() {
  me = null;
  if (panels) {
    panels.then(function (p) {
      p.state.me = null;
      p.state.firstSteps = false;
      p.sections.dropPending(); // drop answers still on their way
      import('./charts.js').then(function (c) { c.destroyCharts(); }); // loaded after the first table
    });
  }
  $('staff-admin').hidden = true;
  ['setup', 'authoring', 'first-steps'].forEach(function (id) { $(id).hidden = true; });
  if ($('quiz-confirm').open) $('quiz-confirm').close();
  showError('');
}

function canReport() { return can(me, 'read-reports'); }

// inScope tells whether a published quiz concerns the staff's units: everywhere, or a
// unit that contains or lies within the staff's scope (as the staff list is scoped).
function inScope(q, state) {
  if (!q.scopeUnitId) return true;
  function within(id, ancestor) {
    for (var u = state.units[id]; u; u = state.units[u.parentId]) if (u.id === ancestor) return true;
    return false;
  }
  return within(q.scopeUnitId, me.scopeUnitId) || within(me.scopeUnitId, q.scopeUnitId);
}

function start() {
  showError('');
  $('signin-screen').hidden = true;
  // The public quiz list (small, gzipped and cached by the CDN) is asked for with the
  // rest, so the first table can start from it; the staff list (every quiz in scope,
  // closed ones too, with pass marks; about 13 KB) follows the first table.
  var published = api('GET', '/v1/quizzes').then(null, function () { return { quizzes: [] }; });
  Promise.all([api('GET', '/v1/admin/me'), api('GET', '/v1/units'), loadPanels()]).then(function (r) {
    var p = r[2], f = p.f, state = p.state;
    me = state.me = r[0];
    var b = p.buildUnits(r[1].units || [], state.me.scopeUnitId);
    state.units = b.units;
    state.scopeUnits = b.scopeUnits;
    renderWho(state.me, state.units);
    $('dashboard').hidden = false;
    if (!canReport()) {
      f.laterPanels().then(function (p) { p.fillStaffPanel(); });
      p.sections.setReportsVisible(false, false);
      $('activities').hidden = true;
      $('annual').hidden = true;
      $('sample-size').hidden = true;
      $('filters').hidden = true;
      showMsg($('quiz-note'), 'Tài khoản ' + (ROLE_LABEL[(state.me.roles || [])[0]] || '') +
        ' không xem được báo cáo đánh giá. Trang này dành cho cán bộ văn hóa – xã hội và quản trị viên.');
      return null;
    }
    $('filters').hidden = false;
    $('activities').hidden = false;
    $('annual').hidden = false;
    $('sample-size').hidden = false;
    f.fillUnitPickers();
    f.restoreFilters();
    var early = false; // the first table was asked for from the public list
    return published.then(function (data) {
      var list = (data.quizzes || []).filter(function (q) { return inScope(q, state); });
      var main = f.mainQuiz(list, new Date());
      if (!f.savedQuiz() && main && main.kind === 'quiz') {
        state.quizzes = list;
        f.fillQuizPicker();
        f.reloadAll();
        early = true;
      }
      var after = early ? f.afterFirstTable(function () {}) : Promise.resolve();
      return after.then(function () { return api('GET', '/v1/admin/quizzes'); });
    }).then(function (data) {
      var before = $('quiz').value;
      state.allQuizzes = data.quizzes || [];
      state.quizzes = state.allQuizzes.filter(function (q) { return q.status === 'published' || q.status === 'closed'; });
      f.fillQuizPicker();
      var q = state.quizzes.filter(function (x) { return x.id === before; })[0];
      if (!early || $('quiz').value !== before) f.reloadAll();
      else {
        f.refreshQuizNote(); // now with the pass mark
        if (q && q.passPercent && q.passPercent !== 50) p.awareness.rerenderAwareness(); // drawn with the default mark
      }
      // The staff panel and the activity form wait for the first table, as later.js does.
      f.afterFirstTable(function (lp) {
        lp.fillStaffPanel();
        lp.fillActivityForm();
        lp.fillSetup();
        lp.fillAuthoring();
        lp.refreshChangeBases();
      });
    });
  }).catch(function (err) {
    if (err && err.silent) return;
    if (me && $('who').hidden === false) { // the quizzes failed: the rest of the page works
      showError(err.message || 'Không tải được danh sách bài.');
      return;
    }
    signOut(err && err.message ? err.message : 'Không tải được trang.');
  });
}
