// What the resident page's screens share: the attempt in progress (mirrored to
// localStorage so that a reload or a lost network keeps the answers), the screens, the
// page's URL parameters; and the events by which a screen asks another for something.
import { $ } from '../lib/dom.js';

var KEY_CLIENT = 'nq58.clientId';
var KEY_ATTEMPT = 'nq58.attempt';
var KEY_CLIENT_TOKEN = 'nq58.clientToken';

// S holds the attempt in progress (null when none) and its countdown's interval.
export var S = { att: null, tick: null };

// params are the page's query parameters (?unit=, ?quiz=, ?results=&round=).
export var params = new URLSearchParams(location.search);

// ---------- storage (may be unavailable in private mode) ----------
function load(key) {
  try { var s = localStorage.getItem(key); return s ? JSON.parse(s) : null; } catch (e) { return null; }
}
function store(key, val) {
  try { localStorage.setItem(key, JSON.stringify(val)); } catch (e) { /* ignore */ }
}
function drop(key) { try { localStorage.removeItem(key); } catch (e) { /* ignore */ } }

// loadAtt reads the stored attempt (null when none).
export function loadAtt() { return load(KEY_ATTEMPT); }
// saveAtt stores the attempt in progress.
export function saveAtt() { if (S.att) store(KEY_ATTEMPT, S.att); }
// dropAtt forgets the stored attempt.
export function dropAtt() { drop(KEY_ATTEMPT); }

// clientId is this device's random id, kept in localStorage.
export function clientId() {
  var id = null;
  try { id = localStorage.getItem(KEY_CLIENT); } catch (e) { /* ignore */ }
  if (!id) {
    var b = new Uint8Array(16);
    if (window.crypto && crypto.getRandomValues) crypto.getRandomValues(b);
    else for (var i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
    id = Array.prototype.map.call(b, function (x) { return (x < 16 ? '0' : '') + x.toString(16); }).join('');
    try { localStorage.setItem(KEY_CLIENT, id); } catch (e) { /* ignore */ }
  }
  return id;
}

// clientToken is the server's sealed count of this device's recent starts, sent with the
// next start ('' when none); saveClientToken keeps the one a start returned.
export function clientToken() {
  try { return localStorage.getItem(KEY_CLIENT_TOKEN) || ''; } catch (e) { return ''; }
}
export function saveClientToken(t) {
  try { localStorage.setItem(KEY_CLIENT_TOKEN, t); } catch (e) { /* ignore */ }
}

// The screens import downward only (main → form → start and quiz; submit → quiz and
// result; each → state) and ask a screen above them through the page's events
// (lib/events.js):
//   'quiz-chosen' (quiz or null): the start screen's chosen quiz changed (form.js);
//   'back-to-start' (focus): show the start screen again, no quiz chosen (start.js);
//   'submit': freeze the answers and send them (submit.js).

// show shows one screen and hides the others.
export function show(screenId) {
  $('boot').hidden = true;
  ['start-screen', 'question', 'result', 'results-screen'].forEach(function (id) { $(id).hidden = id !== screenId; });
  window.scrollTo(0, 0);
}
