// The closed round's digest, the winners and collective prizes, and the downloads
// of the winners and of every entry.
import { $, el, showMsg } from '../../lib/dom.js';
import { api, request, download, saveBlob, ApiError } from '../../lib/api.js';
import { int, dec, minSec, tierLabel, phone } from '../../lib/format.js';
import { state, roundPath, unitName, enc, td } from './state.js';

var MAX_EXPORT_PAGES = 10000;

// showClosed shows the frozen round's digest, true value and (when known) entries.
export function showClosed(r) {
  $('digest').textContent = r.digest || '';
  if (r.entries != null) $('close-entries').textContent = int(r.entries);
  $('close-entries-box').hidden = !$('close-entries').textContent;
  $('close-truth').textContent = int(r.truth);
  $('close-result').hidden = false;
}

export function loadWinners() {
  var seq = state.seq;
  showMsg($('winners-status'), 'Đang tải…');
  $('winners-section').hidden = false;
  return api('GET', roundPath() + '/winners?format=json').then(function (w) {
    if (seq !== state.seq) return;
    showMsg($('winners-status'), (w.winners || []).length ? '' : 'Không có ai đạt giải cá nhân.');
    $('winners-masked').hidden = !w.masked;
    if (w.digest) showClosed({ digest: w.digest, truth: w.truth });
    renderWinners(w);
  }).catch(function (err) {
    if (seq !== state.seq || err.silent) return;
    showMsg($('winners-status'), err.message, true);
  });
}

function renderWinners(w) {
  var tbody = $('winners-table').querySelector('tbody');
  tbody.textContent = '';
  (w.winners || []).forEach(function (x) {
    var tr = el('tr');
    tr.setAttribute('data-rank', x.rank);
    tr.appendChild(td('num rank', String(x.rank)));
    tr.appendChild(td('tier', tierLabel(x.tier)));
    tr.appendChild(td('num amount', int(x.amount)));
    tr.appendChild(td('name', x.name));
    tr.appendChild(td('phone', phone(x.phone)));
    tr.appendChild(td('cccd', x.cccd || ''));
    tr.appendChild(td('unit', x.unit || unitName(x.unitId)));
    tr.appendChild(td('org', x.organization || ''));
    tr.appendChild(td('num score', String(x.score)));
    tr.appendChild(td('num prediction', String(x.prediction)));
    tr.appendChild(td('num duration', minSec(x.durationMs)));
    tbody.appendChild(tr);
  });
  var cbody = $('collective-table').querySelector('tbody');
  cbody.textContent = '';
  (w.collective || []).forEach(function (u) {
    var tr = el('tr', u.prize ? 'won' : null);
    tr.setAttribute('data-unit', u.unitId);
    tr.appendChild(td('num', String(u.rank)));
    tr.appendChild(td(null, unitName(u.unitId)));
    tr.appendChild(td('num', int(u.entrants)));
    tr.appendChild(td('num', int(u.population)));
    tr.appendChild(td('num', dec(u.participationRate || 0)));
    tr.appendChild(td('num', dec(u.entrantsShare || 0)));
    tr.appendChild(td('num', dec(u.points || 0)));
    tr.appendChild(td(null, u.prize ? 'Có' : ''));
    cbody.appendChild(tr);
  });
}

function winnersDownload(format) {
  return function () {
    var btn = this;
    btn.disabled = true;
    showMsg($('winners-status'), 'Đang tải tệp…');
    download(roundPath() + '/winners?format=' + format, 'giai-thuong-' + state.contest.id + '-' + state.round.id + '.' + format).then(function () {
      btn.disabled = false;
      showMsg($('winners-status'), 'Đã tải danh sách đạt giải.');
    }, function (err) {
      btn.disabled = false;
      if (!err.silent) showMsg($('winners-status'), err.message, true);
    });
  };
}
$('download-winners-csv').addEventListener('click', winnersDownload('csv'));
$('download-winners-xlsx').addEventListener('click', winnersDownload('xlsx'));

// The entries export comes in pages: the first has the BOM and the header, the next
// cursor is in X-Next-Cursor ("" at the end). The bytes are joined as they came.
$('download-entries').addEventListener('click', function () {
  var btn = this, seq = state.seq;
  var base = roundPath() + '/entries?format=csv&cursor=';
  var name = 'bai-du-thi-' + state.contest.id + '-' + state.round.id + '.csv';
  var parts = [], bytes = 0, pages = 0, seen = {};
  var progress = $('entries-progress');
  btn.disabled = true;
  function next(cursor) {
    showMsg(progress, 'Đang tải trang ' + (pages + 1) + '… (đã nhận ' + int(Math.round(bytes / 1024)) + ' KB)');
    return request('GET', base + enc(cursor), undefined, 'text/csv').then(function (res) {
      var after = res.headers.get('X-Next-Cursor') || '';
      return res.arrayBuffer().then(function (buf) {
        parts.push(buf);
        bytes += buf.byteLength;
        pages++;
        if (!after) return null;
        if (seen[after] || pages >= MAX_EXPORT_PAGES) throw new ApiError(0, 'Máy chủ trả về trang lặp lại; đã dừng tải.');
        seen[after] = true;
        return next(after);
      });
    });
  }
  next('').then(function () {
    btn.disabled = false;
    if (seq !== state.seq) return;
    saveBlob(new Blob(parts, { type: 'text/csv;charset=utf-8' }), name);
    showMsg(progress, 'Đã tải xong ' + pages + ' trang (' + int(Math.round(bytes / 1024)) + ' KB).');
  }).catch(function (err) {
    btn.disabled = false;
    if (!err.silent) showMsg(progress, err.message, true);
  });
});
