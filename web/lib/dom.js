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

// fieldError shows msg right below a form control (and clears it when msg is empty):
// the control is marked invalid and described by the message, so a screen reader reads
// it when the control gets focus.
export function fieldError(input, msg) {
  if (!input) return;
  var id = input.id + '-err';
  var node = document.getElementById(id);
  if (!msg) {
    if (node) node.remove();
    input.removeAttribute('aria-invalid');
    var rest = (input.getAttribute('aria-describedby') || '').split(' ').filter(function (x) { return x && x !== id; });
    if (rest.length) input.setAttribute('aria-describedby', rest.join(' '));
    else input.removeAttribute('aria-describedby');
    return;
  }
  if (!node) {
    node = el('p', 'field-error');
    node.id = id;
    // After the control, or after its label when the control sits inside one (checkbox).
    var after = input.closest('label') || input;
    after.parentNode.insertBefore(node, after.nextSibling);
  }
  node.textContent = msg;
  input.setAttribute('aria-invalid', 'true');
  var ids = (input.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
  if (ids.indexOf(id) < 0) ids.unshift(id);
  input.setAttribute('aria-describedby', ids.join(' '));
}

// clearFieldErrors removes every fieldError message inside root.
export function clearFieldErrors(root) {
  var nodes = root.querySelectorAll('[aria-invalid="true"]');
  for (var i = 0; i < nodes.length; i++) fieldError(nodes[i], '');
}

// busy shows a button as working (disabled, with a working label) and returns the
// function that gives it back its own label, whatever happens in between.
export function busy(btn, workingLabel) {
  var label = btn.textContent;
  btn.disabled = true;
  btn.setAttribute('aria-busy', 'true');
  btn.textContent = workingLabel;
  return function () {
    btn.disabled = false;
    btn.removeAttribute('aria-busy');
    btn.textContent = label;
  };
}
