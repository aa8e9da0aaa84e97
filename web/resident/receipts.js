// "Lượt thi của tôi": the receipts of the contest entries sent from this device, kept in
// localStorage (nothing leaves the device), each with copy and share buttons.
import { $, el } from '../lib/dom.js';
import { dateTime } from '../lib/format.js';

var KEY = 'nq58.receipts';
var MAX = 20;

function load() {
  try { var s = localStorage.getItem(KEY); var v = s ? JSON.parse(s) : []; return Array.isArray(v) ? v : []; } catch (e) { return []; }
}

// keepReceipt remembers a contest entry's receipt on this device (once per receipt).
export function keepReceipt(entry) {
  if (!entry || !entry.receipt) return;
  var list = load().filter(function (x) { return x.receipt !== entry.receipt; });
  list.unshift(entry);
  try { localStorage.setItem(KEY, JSON.stringify(list.slice(0, MAX))); } catch (e) { /* private mode: not kept */ }
}

// resultsHref is the link to a round's public results.
export function resultsHref(quizId, roundId) {
  return '?results=' + encodeURIComponent(quizId) + '&round=' + encodeURIComponent(roundId);
}

function shareText(x) {
  return 'Mã biên nhận ' + x.receipt + ' — ' + x.title + (x.roundName ? ', ' + x.roundName : '');
}

// copyText puts text on the clipboard; the older way (a selected field and the copy
// command) serves browsers without the Clipboard API, outside a secure context, or
// refusing it.
function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    return navigator.clipboard.writeText(text).catch(function () { return copyBySelection(text); });
  }
  return copyBySelection(text);
}

function copyBySelection(text) {
  return new Promise(function (resolve, reject) {
    var ta = el('textarea');
    ta.value = text;
    ta.setAttribute('readonly', '');
    ta.style.position = 'fixed';
    ta.style.opacity = '0';
    document.body.appendChild(ta);
    ta.select();
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    ta.remove();
    if (ok) resolve(); else reject(new Error('copy'));
  });
}

// receiptActions are the copy and share buttons of one receipt, with the line that says
// what happened. Share is offered only where the browser has navigator.share.
export function receiptActions(x) {
  var box = el('div', 'receipt-actions');
  var said = el('p', 'small');
  said.setAttribute('role', 'status');
  var copy = el('button', 'btn', 'Sao chép mã');
  copy.type = 'button';
  copy.setAttribute('data-copy', x.receipt);
  copy.addEventListener('click', function () {
    copyText(x.receipt).then(function () { said.textContent = 'Đã sao chép mã ' + x.receipt + '.'; },
      function () { said.textContent = 'Không sao chép được. Hãy ghi lại mã ' + x.receipt + '.'; });
  });
  box.appendChild(copy);
  if (navigator.share) {
    var share = el('button', 'btn', 'Chia sẻ');
    share.type = 'button';
    share.addEventListener('click', function () {
      var data = { title: 'Mã biên nhận', text: shareText(x) };
      if (x.roundId) data.url = new URL(resultsHref(x.quizId, x.roundId), location.href).href;
      navigator.share(data).catch(function () { /* the resident closed the share sheet */ });
    });
    box.appendChild(share);
  }
  box.appendChild(said);
  return box;
}

// renderReceipts lists the kept receipts at the end of the start screen.
export function renderReceipts() {
  var list = load();
  var ul = $('my-entries-list');
  ul.innerHTML = '';
  list.forEach(function (x) {
    var li = el('li');
    li.setAttribute('data-receipt', x.receipt);
    var code = el('p', 'code');
    code.appendChild(document.createTextNode('Mã biên nhận: '));
    code.appendChild(el('strong', null, x.receipt));
    li.appendChild(code);
    li.appendChild(el('p', null, x.title + (x.roundName ? ' — ' + x.roundName : '') + (dateTime(x.at) ? ' · gửi lúc ' + dateTime(x.at) : '')));
    if (x.roundId) {
      var a = el('a', 'results-link', 'Xem kết quả (khi đã công bố)');
      a.href = resultsHref(x.quizId, x.roundId);
      li.appendChild(a);
    }
    li.appendChild(receiptActions(x));
    ul.appendChild(li);
  });
  $('my-entries').hidden = !list.length;
}
