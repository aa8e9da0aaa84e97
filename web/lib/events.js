// A page's events: a module that needs something done by a module above it (one that
// imports it) emits an event that module listens to, so that imports point one way and
// no two modules import each other. Each page is its own document, so each page has
// its own listeners; the events a page uses are listed in its state.js.
var listeners = {};

// on calls fn(arg) on every emit(name, arg).
export function on(name, fn) { (listeners[name] = listeners[name] || []).push(fn); }

// emit calls the listeners of name, in the order they were added.
export function emit(name, arg) { (listeners[name] || []).forEach(function (fn) { fn(arg); }); }
