// Staff accounts panel (admins): list the accounts of the admin's subtree, invite an
// officer, organiser or admin scoped to a unit of that subtree, disable an account.
// In AWS Cognito e-mails the temporary password; the local gateway returns it here.
import { $, el, showMsg } from '../lib/dom.js';
import { api } from '../lib/api.js';
import { can } from '../lib/session.js';
import { unitOption } from '../lib/units.js';
import { ROLE_LABEL } from '../lib/labels.js';
import { state, announce, CHANGED } from './state.js';

// fillStaffPanel shows the panel to admins and lists their accounts.
export function fillStaffPanel() {
  var manages = can(state.me, 'manage-staff');
  $('staff-admin').hidden = !manages;
  if (!manages) return;
  fillUnits();
  loadStaff();
}

function fillUnits() {
  var sel = $('st-unit');
  var prev = sel.value;
  sel.textContent = '';
  state.scopeUnits.forEach(function (e) { sel.appendChild(unitOption(e)); });
  if (prev) sel.value = prev;
  if (!sel.value && state.me) sel.value = state.me.scopeUnitId;
}

// Units imported in the setup panel can be chosen at once.
document.addEventListener(CHANGED.units, function () {
  if (!$('staff-admin').hidden) fillUnits();
});

function loadStaff() {
  return api('GET', '/v1/admin/staff').then(function (data) {
    state.staff = data.staff || [];
    announce('staff');
    var body = $('st-list').querySelector('tbody');
    body.textContent = '';
    (data.staff || []).forEach(function (m) {
      var tr = el('tr');
      tr.dataset.username = m.username;
      tr.appendChild(el('td', null, m.username));
      tr.appendChild(el('td', null, ROLE_LABEL[m.role] || m.role || ''));
      var unit = state.units[m.scopeUnitId];
      tr.appendChild(el('td', null, unit ? unit.name : m.scopeUnitId));
      tr.appendChild(el('td', null, m.enabled ? 'Đang hoạt động' : 'Đã khóa'));
      var td = el('td');
      if (m.enabled && m.username !== state.me.username) {
        var b = el('button', 'btn small light', 'Khóa');
        b.type = 'button';
        b.dataset.disable = m.username;
        td.appendChild(b);
      }
      tr.appendChild(td);
      body.appendChild(tr);
    });
  }).catch(function (err) {
    if (!err.silent) showMsg($('st-status'), err.message, true);
  });
}

$('staff-invite').addEventListener('submit', function (ev) {
  ev.preventDefault();
  var body = {
    username: $('st-username').value.trim(), email: $('st-email').value.trim(),
    role: $('st-role').value, scopeUnitId: $('st-unit').value
  };
  if (!body.username || !body.email) {
    showMsg($('st-status'), 'Vui lòng nhập tên đăng nhập và email.', true);
    return;
  }
  $('st-invite').disabled = true;
  api('POST', '/v1/admin/staff', body).then(function (m) {
    $('st-username').value = '';
    $('st-email').value = '';
    var msg = 'Đã mời ' + m.username + '.';
    msg += m.temporaryPassword ? ' Mật khẩu tạm thời (chỉ hiện một lần): ' + m.temporaryPassword :
      ' Mật khẩu tạm thời đã được gửi tới email của cán bộ.';
    showMsg($('st-status'), msg);
    $('st-status').dataset.password = m.temporaryPassword || '';
    return loadStaff();
  }).catch(function (err) {
    if (!err.silent) showMsg($('st-status'), err.message, true);
  }).then(function () { $('st-invite').disabled = false; });
});

$('st-list').addEventListener('click', function (ev) {
  var name = ev.target && ev.target.dataset ? ev.target.dataset.disable : '';
  if (!name || !confirm('Khóa tài khoản ' + name + '? Người này sẽ không đăng nhập được nữa.')) return;
  api('POST', '/v1/admin/staff/' + encodeURIComponent(name) + '/disable').then(function () {
    showMsg($('st-status'), 'Đã khóa tài khoản ' + name + '.');
    return loadStaff();
  }).catch(function (err) {
    if (!err.silent) showMsg($('st-status'), err.message, true);
  });
});
