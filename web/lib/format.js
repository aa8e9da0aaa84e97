// Vietnamese number, date and duration formatting: the one style of everything a person
// reads on the pages (decimal comma, thousands dot, "62,1 %", mm:ss, "0912 345 678"), the
// same as the exports' (internal/vnfmt).

var fmtInt = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 });
var fmtDec = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 });
var fmtFixed1 = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
var fmtFixed2 = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function pad(n) { return (n < 10 ? '0' : '') + n; }

// int: a whole number ("1.234"), "—" when missing.
export function int(x) { return x == null ? '—' : fmtInt.format(x); }
// dec: at most one decimal ("12,5", "12"), "—" when missing.
export function dec(x) { return x == null ? '—' : fmtDec.format(x); }
// fixed1: exactly one decimal ("12,0"), "—" when missing.
export function fixed1(x) { return x == null ? '—' : fmtFixed1.format(x); }
// fixed2: exactly two decimals ("0,35"), "—" when missing.
export function fixed2(x) { return x == null ? '—' : fmtFixed2.format(x); }
// ciText: a 95 % interval [lo, hi] as "lo–hi" with one decimal.
export function ciText(ci) { return ci && ci.length === 2 ? fmtFixed1.format(ci[0]) + '–' + fmtFixed1.format(ci[1]) : '—'; }
// pct: a percentage with one decimal and a spaced sign ("62,1 %"), "—" when missing.
export function pct(x) { return x == null ? '—' : fmtFixed1.format(x) + ' %'; }
// pctRange: a 95 % interval of a percentage as "58,3–66,0 %", "—" without one.
export function pctRange(ci) { return ci && ci.length === 2 ? ciText(ci) + ' %' : '—'; }
// phone: a stored phone (+84912345678) as "0912 345 678"; a masked one as it is.
export function phone(p) {
  if (!p) return '';
  if (/[^0-9+ .()-]/.test(p)) return p;
  var d = p.replace(/\D/g, '');
  if (/^\s*\+84/.test(p) || (d.length === 11 && d.slice(0, 2) === '84')) d = '0' + d.slice(2);
  return d.length === 10 && d[0] === '0' ? d.slice(0, 4) + ' ' + d.slice(4, 7) + ' ' + d.slice(7) : d;
}
// signed: a difference with its sign (+, − or none), f formats its size.
export function signed(x, f) { return (x > 0 ? '+' : x < 0 ? '−' : '') + f(Math.abs(x)); }

// mmss: milliseconds as "mm:ss" (a countdown).
export function mmss(ms) {
  var s = Math.max(0, Math.round(ms / 1000));
  var m = Math.floor(s / 60);
  s = s % 60;
  return (m < 10 ? '0' : '') + m + ':' + (s < 10 ? '0' : '') + s;
}
// durationText: milliseconds as words a resident reads at once, "20 giây" or
// "3 phút 05 giây" ("00:20" reads as a clock time).
export function durationText(ms) {
  var s = Math.max(0, Math.round((ms || 0) / 1000));
  var m = Math.floor(s / 60);
  s = s % 60;
  if (!m) return s + ' giây';
  return m + ' phút' + (s ? ' ' + pad(s) + ' giây' : '');
}
// minSec: milliseconds as "m:ss".
export function minSec(ms) {
  var s = Math.max(0, Math.round((ms || 0) / 1000));
  return Math.floor(s / 60) + ':' + pad(s % 60);
}
// limitText: a time limit in seconds as "10 phút 30 giây".
export function limitText(sec) {
  var m = Math.floor(sec / 60), s = sec % 60;
  return (m ? m + ' phút' : '') + (s ? (m ? ' ' : '') + s + ' giây' : '');
}

// dateTime: an RFC 3339 time as "HH:MM DD/MM/YYYY" on the local clock; "" for none (or
// the zero time, meaning no date set).
export function dateTime(iso) {
  var d = new Date(iso);
  if (isNaN(d.getTime()) || d.getFullYear() < 2000) return '';
  return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ' ' + pad(d.getDate()) + '/' + pad(d.getMonth() + 1) + '/' + d.getFullYear();
}
// shortDateTime: an RFC 3339 time as "HH:MM DD/MM" on the local clock, with "/YYYY"
// when it is not this year's; "" for none.
export function shortDateTime(iso) {
  var d = new Date(iso);
  if (isNaN(d.getTime()) || d.getFullYear() < 2000) return '';
  return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ' ' + pad(d.getDate()) + '/' + pad(d.getMonth() + 1) +
    (d.getFullYear() === new Date().getFullYear() ? '' : '/' + d.getFullYear());
}
// localDay: an RFC 3339 time's date on the local clock, "DD/MM/YYYY"; "" for none.
export function localDay(iso) {
  var d = new Date(iso);
  if (isNaN(d.getTime()) || d.getFullYear() < 2000) return '';
  return pad(d.getDate()) + '/' + pad(d.getMonth() + 1) + '/' + d.getFullYear();
}
// spanText: a coming span of milliseconds as a countdown: "2 ngày 3 giờ", "3 giờ 05 phút",
// "4 phút", "dưới 1 phút".
export function spanText(ms) {
  var min = Math.floor(ms / 60000);
  if (min < 1) return 'dưới 1 phút';
  var days = Math.floor(min / 1440), hours = Math.floor(min / 60) % 24, mins = min % 60;
  if (days) return days + ' ngày' + (hours ? ' ' + hours + ' giờ' : '');
  if (hours) return hours + ' giờ ' + pad(mins) + ' phút';
  return mins + ' phút';
}
// atDay: an RFC 3339 time as "20:46 ngày 30/11/2026" on the local clock, for a sentence
// ("sau 20:46 ngày 30/11/2026"); "" for none.
export function atDay(iso) {
  var d = new Date(iso);
  if (isNaN(d.getTime()) || d.getFullYear() < 2000) return '';
  return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ' ngày ' + pad(d.getDate()) + '/' + pad(d.getMonth() + 1) + '/' + d.getFullYear();
}
// dmy: YYYY-MM-DD → DD/MM/YYYY; "" for none or an unset date (Go's zero time, year 1).
export function dmy(iso) {
  var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || '');
  if (m && +m[1] < 2000) return '';
  return m ? m[3] + '/' + m[2] + '/' + m[1] : (iso || '');
}
// monthLabel: YYYY-MM → MM/YYYY.
export function monthLabel(p) {
  var m = /^(\d{4})-(\d{2})$/.exec(p || '');
  return m ? m[2] + '/' + m[1] : p;
}
// today: the local date as YYYY-MM-DD.
export function today() {
  var d = new Date();
  return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate());
}
// lastDayOf: YYYY-MM → YYYY-MM-DD of its last day.
export function lastDayOf(month) {
  var y = +month.slice(0, 4), m = +month.slice(5, 7);
  return month + '-' + pad(new Date(y, m, 0).getDate());
}
// localInput: a Date as the value of a datetime-local input.
export function localInput(d) {
  return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + 'T' + pad(d.getHours()) + ':' + pad(d.getMinutes());
}

// tierLabel: a prize tier as "Giải Nhất" (kept as is when it already starts with "Giải").
export function tierLabel(t) { return !t ? '' : /^giải/i.test(t) ? t : 'Giải ' + t; }
