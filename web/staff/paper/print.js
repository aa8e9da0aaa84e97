// The printable A4 sheets of a print run: one per code, the questions of the run's fixed
// draw with a box per option (or boxes only, for questions read aloud at a meeting).
import { el } from '../../lib/dom.js';
import { questionKind, SCALE_VALUES } from '../../lib/labels.js';

// kindHint tells the resident how to tick a question of a kind.
function kindHint(k) {
  if (k.multiple) return '(có thể chọn nhiều ô)';
  if (k.answer === 'value') return '(1 = rất không đồng ý … 5 = rất đồng ý)';
  return '';
}

function box(label) {
  var s = el('span', 'opt');
  s.appendChild(el('span', 'box'));
  s.appendChild(document.createTextNode(label));
  return s;
}

// optionLabels are the boxes of a question: its options' letters, or 1–5 for a scale.
function optionLabels(q) {
  if (questionKind(q.kind).answer === 'value') return SCALE_VALUES;
  return q.options.map(function (o) { return o.letter; });
}

function sheet(v, code) {
  var s = el('article', 'sheet');
  s.setAttribute('data-code', code);
  var head = el('header');
  var left = el('div');
  left.appendChild(el('h2', null, v.quizTitle));
  left.appendChild(el('p', 'meta', 'Thôn: ' + v.unitName));
  left.appendChild(el('p', 'meta', 'Ngày: ' + v.date));
  var c = el('p', 'meta', 'Mã phiếu: ');
  c.appendChild(el('span', 'code', code));
  left.appendChild(c);
  head.appendChild(left);
  var qr = el('div', 'qr');
  if (v.qrSvg) {
    // The SVG comes from the server's QR encoder (paths only, no text from users).
    qr.innerHTML = v.qrSvg;
    qr.appendChild(el('small', null, 'Làm bài trên điện thoại'));
  }
  head.appendChild(qr);
  s.appendChild(head);

  var who = el('div', 'who');
  who.appendChild(el('span', null, 'Năm sinh: ……………'));
  var g = el('span', null, 'Giới tính: ');
  ['Nam', 'Nữ', 'Khác'].forEach(function (x) { g.appendChild(box(x + ' ')); });
  who.appendChild(g);
  who.appendChild(el('span', null, 'Đoàn thể (nếu có): ………………………'));
  s.appendChild(who);
  s.appendChild(el('p', 'meta', 'Đánh dấu ✗ vào ô phương án đúng. Không ghi họ tên, số điện thoại.'));

  var list = el('ol', v.variant === 'answers' ? 'questions grid-answers' : 'questions');
  v.questions.forEach(function (q) {
    var li = el('li');
    if (v.variant === 'answers') {
      li.appendChild(el('strong', null, 'Câu ' + q.n + ': '));
      optionLabels(q).forEach(function (l) { li.appendChild(box(l + ' ')); });
    } else {
      var k = questionKind(q.kind);
      li.appendChild(el('strong', null, 'Câu ' + q.n + '. '));
      li.appendChild(document.createTextNode(q.text + (/nhiều/.test(q.text) ? '' : ' ' + kindHint(k))));
      var opts = el('div', 'options');
      if (k.answer === 'value') optionLabels(q).forEach(function (l) { opts.appendChild(box(l)); });
      else if (!k.paper) opts.appendChild(el('em', null, '(câu ' + k.label.toLowerCase() + ': không thu trên phiếu giấy)'));
      else q.options.forEach(function (o) { opts.appendChild(box(o.letter + '. ' + o.text)); });
      li.appendChild(opts);
    }
    list.appendChild(li);
  });
  s.appendChild(list);
  s.appendChild(el('footer', null, 'Phiếu ' + code + ' · ' + v.unitName + ' · nộp lại cho tổ thông tin của thôn. Mỗi người chỉ điền một phiếu.'));
  return s;
}

// PAGE_PX is the height a sheet may take: A4's 297 mm less the 10 mm margins of @page
// (paper.css), in CSS pixels (96 per inch).
var PAGE_PX = (297 - 20) * 96 / 25.4;
var MIN_PT = 8;

// fit keeps a sheet on one A4 page: a sheet taller than the page gets its questions in
// two columns, then smaller type half a point at a time, down to MIN_PT; a sheet still
// too tall (very long questions or many options) is scaled down whole, header and QR
// code included, so that each sheet stays one page with its code and village on it. The
// sheet is measured on screen, where paper.css gives it the printed width; zoom (not a
// transform) also shrinks the box that print pagination measures.
function fit(s) {
  if (s.scrollHeight <= PAGE_PX) return;
  s.classList.add('two-col');
  for (var pt = 11.5; s.scrollHeight > PAGE_PX && pt >= MIN_PT; pt -= 0.5) s.style.fontSize = pt + 'pt';
  var h = s.getBoundingClientRect().height;
  if (h <= PAGE_PX) return;
  // A zoomed sheet keeps its printed width (190 mm) when its own width grows by 1/zoom;
  // its lines then hold more words, so the largest zoom that fits lies between
  // PAGE_PX / h (it fits even without the longer lines) and 1: a binary search to 0.01.
  function fits(z) {
    s.style.zoom = String(z);
    s.style.width = (190 / z) + 'mm';
    return s.getBoundingClientRect().height <= PAGE_PX;
  }
  var lo = Math.floor(PAGE_PX / h * 100) / 100, hi = 1;
  while (hi - lo > 0.01) {
    var mid = Math.round((lo + hi) * 50) / 100;
    if (mid <= lo || mid >= hi) break;
    if (fits(mid)) lo = mid; else hi = mid;
  }
  fits(lo);
}

// renderSheets fills area with a toolbar and one sheet per code of the print view v.
export function renderSheets(area, v, onClose) {
  area.textContent = '';
  var bar = el('div', 'toolbar');
  var printBtn = el('button', 'btn primary', 'In ' + v.codes.length + ' phiếu');
  printBtn.type = 'button';
  printBtn.id = 'print-now';
  printBtn.addEventListener('click', function () { window.print(); });
  var back = el('button', 'btn', 'Quay lại');
  back.type = 'button';
  back.addEventListener('click', onClose);
  bar.appendChild(printBtn);
  bar.appendChild(back);
  area.appendChild(bar);
  var sheets = v.codes.map(function (code) { return area.appendChild(sheet(v, code)); });
  area.hidden = false;
  // The sheets of a print are alike but for the code, yet each is measured: a code's
  // letters may wrap a line differently.
  sheets.forEach(fit);
}
