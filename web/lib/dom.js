// Element helpers shared by every page.

// $ returns the element with this id.
export function $(id) { return document.getElementById(id); }

// el creates an element with an optional class name and text.
export function el(tag, cls, text) {
  var e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  return e;
}

// showMsg shows msg in node (hidden when empty); a ".status" node also turns red for errors.
export function showMsg(node, msg, isError) {
  node.textContent = msg || '';
  node.hidden = !msg;
  if (node.classList.contains('status')) node.classList.toggle('error', !!isError && !!msg);
}

// showError shows msg in the page's #error box (hidden when empty).
export function showError(msg) { showMsg($('error'), msg); }
