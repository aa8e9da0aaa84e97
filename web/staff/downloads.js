// Downloads: every section's table as CSV or XLSX (the buttons with data-download), and
// the annual evaluation (plan IV.1) as XLSX or a printable HTML page.
import { $ } from '../lib/dom.js';
import { download } from '../lib/api.js';
import { state, qs } from './state.js';
import { setStatus } from './sections.js';

document.addEventListener('click', function (ev) {
  var btn = ev.target.closest && ev.target.closest('button[data-download]');
  if (!btn) return;
  var section = btn.getAttribute('data-download'), format = btn.getAttribute('data-format');
  var last = state.last[section];
  if (!last) {
    setStatus(section, 'Chưa có số liệu để tải.', true);
    return;
  }
  var params = Object.assign({}, last.params, { format: format });
  btn.disabled = true;
  download(last.path + '?' + qs(params), section + '.' + format).then(function () {
    btn.disabled = false;
  }, function (err) {
    btn.disabled = false;
    if (!err.silent) setStatus(section, err.message, true);
  });
});

// annualPath asks for the evaluation of the chosen unit and year, with the change sheets
// against the base quiz chosen in "Thay đổi so với bài trước", if any.
function annualPath(format) {
  return '/v1/reports/annual?' + qs({ unitId: $('unit').value, year: $('annual-year').value.trim(),
    baseQuizId: $('change-base').value, format: format });
}

// updateAnnualLinks points the annual report's links at the chosen unit and year.
export function updateAnnualLinks() {
  $('annual-xlsx').href = annualPath('xlsx');
  $('annual-html').href = annualPath('html');
}
$('annual-year').addEventListener('input', updateAnnualLinks);
$('unit').addEventListener('change', updateAnnualLinks);
$('change-base').addEventListener('change', updateAnnualLinks);

function annualClick(format) {
  return function (ev) {
    ev.preventDefault();
    var year = $('annual-year').value.trim();
    if (!/^\d{4}$/.test(year)) {
      setStatus('annual', 'Vui lòng nhập năm đánh giá, ví dụ ' + new Date().getFullYear() + '.', true);
      $('annual-year').focus();
      return;
    }
    updateAnnualLinks();
    // The tab must open on the click itself, or a pop-up blocker stops it.
    var win = format === 'html' ? window.open('', '_blank') : null;
    if (win) {
      try { win.document.title = 'Đang tải báo cáo…'; win.document.body.textContent = 'Đang tải báo cáo…'; } catch (e) { /* ignore */ }
    }
    setStatus('annual', 'Đang tải…');
    var unit = state.units[$('unit').value];
    download(annualPath(format), 'danh-gia-' + (unit ? unit.id : '') + '-' + year + '.' + format, win).then(function () {
      setStatus('annual', format === 'html' ? 'Đã mở bản in trong thẻ mới.' : 'Đã tải báo cáo.');
    }, function (err) {
      if (!err.silent) setStatus('annual', err.message, true);
    });
  };
}
$('annual-xlsx').addEventListener('click', annualClick('xlsx'));
$('annual-html').addEventListener('click', annualClick('html'));
