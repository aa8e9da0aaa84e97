// The offline queue of entered sheets: kept in localStorage the moment a sheet is
// finished, sent one by one when the network answers. Each sheet is a PUT on its own
// code, so a resend after a lost answer is answered 200 with the first entry and nothing
// is counted twice.
import { request } from '../../lib/api.js';

var KEY = 'nq58.paper.queue';
var KEY_FAILED = 'nq58.paper.failed';
var sending = false;

function load(key) {
  try { return JSON.parse(localStorage.getItem(key) || '[]') || []; } catch (e) { return []; }
}
function save(key, list) { localStorage.setItem(key, JSON.stringify(list)); }

// queued is the list of sheets waiting: [{code, body}].
export function queued() { return load(KEY); }
// failed is the list of sheets the server refused: [{code, message}].
export function failed() { return load(KEY_FAILED); }

// enqueue keeps a finished sheet; a second entry of a code still waiting replaces it.
export function enqueue(code, body) {
  var list = load(KEY).filter(function (x) { return x.code !== code; });
  list.push({ code: code, body: body });
  save(KEY, list);
}

// flush sends the waiting sheets in order until one fails on the network. onEach is
// called with {code, ok, status, message, data} after every answer; it resolves true
// when nothing is left waiting.
export function flush(onEach) {
  if (sending) return Promise.resolve(false);
  sending = true;
  function next() {
    var list = load(KEY);
    if (!list.length) return Promise.resolve(true);
    var item = list[0];
    return request('PUT', '/v1/paper/sheets/' + encodeURIComponent(item.code), item.body).then(function (res) {
      return res.json().then(function (data) {
        drop(item.code);
        onEach({ code: item.code, ok: true, status: res.status, data: data });
        return next();
      });
    }, function (err) {
      if (!err || err.status === 0 || err.status === 401 || err.status >= 500) {
        onEach({ code: item.code, ok: false, status: err ? err.status : 0, message: err && err.message });
        return false; // kept: sent again when the network (or the session) is back
      }
      drop(item.code);
      var f = load(KEY_FAILED);
      f.push({ code: item.code, message: err.message });
      save(KEY_FAILED, f);
      onEach({ code: item.code, ok: false, status: err.status, message: err.message });
      return next();
    });
  }
  return next().then(function (done) { sending = false; return done; }, function (e) { sending = false; throw e; });
}

function drop(code) {
  save(KEY, load(KEY).filter(function (x) { return x.code !== code; }));
}
