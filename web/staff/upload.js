// Files the staff pages upload and the templates they offer: CSV writing, the upload's
// content type, and an import's refused rows.
import { el } from '../lib/dom.js';

// csvText writes rows as CSV with a BOM (Excel then reads it as UTF-8), quoting cells
// that need it.
export function csvText(rows) {
  return '\ufeff' + rows.map(function (r) {
    return r.map(function (c) {
      c = String(c == null ? '' : c);
      return /[",;\r\n]/.test(c) ? '"' + c.replace(/"/g, '""') + '"' : c;
    }).join(',');
  }).join('\r\n') + '\r\n';
}

// contentTypeOf is the upload's type: browsers label .csv files inconsistently (Windows
// as Excel), so the name decides and the API tells CSV from XLSX by content otherwise.
export function contentTypeOf(file) {
  var name = (file.name || '').toLowerCase();
  if (/\.xlsx$/.test(name)) return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  if (/\.csv$/.test(name)) return 'text/csv';
  return 'application/octet-stream';
}

// showRowErrors lists a refused import's rows as "Dòng N, cột X: …" in ul (hidden when none).
export function showRowErrors(ul, rows) {
  ul.textContent = '';
  (rows || []).forEach(function (r) {
    var where = 'Dòng ' + r.row + (r.column ? ', cột ' + r.column : '');
    ul.appendChild(el('li', null, where + ': ' + r.message));
  });
  ul.hidden = !ul.children.length;
}
