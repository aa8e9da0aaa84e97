// Organiser page for contests ("Hội thi") on Resolution 58-NQ/TW: create a contest,
// publish it, follow a round's ranking, review flagged entries, close the round and
// export the winners and every entry. Native ES modules, no build. Officers see it
// read-only.
import { $, showError } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { renderWho } from '../../lib/session.js';
import { startStaffPage } from '../../lib/staffpage.js';
import { buildUnits } from '../../lib/units.js';
import { state, canManage } from './state.js';
import { fillContestPicker, onContestChange } from './pickers.js';
import { stopRefresh } from './ranking.js';
import './flags.js';
import './winners.js';
import './closing.js';
import './create.js';

var signOut = startStaffPage({
  page: 'app',
  forbidden: 'Tài khoản không có quyền thực hiện việc này.',
  signedOut: function () {
    stopRefresh();
    state.me = null;
    state.seq++;
    showError('');
  },
  start: start
});

function start() {
  showError('');
  $('signin-screen').hidden = true;
  Promise.all([api('GET', '/v1/admin/me'), api('GET', '/v1/units'), api('GET', '/v1/admin/quizzes')]).then(function (r) {
    state.me = r[0];
    var b = buildUnits(r[1].units || [], state.me.scopeUnitId);
    state.units = b.units;
    state.scopeUnits = b.scopeUnits;
    state.quizzes = r[2].quizzes || [];
    renderWho(state.me, state.units);
    $('app').hidden = false;
    var manage = canManage();
    $('new-contest').hidden = !manage;
    if (!manage) $('create').hidden = true;
    fillContestPicker('');
    onContestChange();
  }).catch(function (err) {
    if (err && err.silent) return;
    signOut(err && err.message ? err.message : 'Không tải được trang.');
  });
}
