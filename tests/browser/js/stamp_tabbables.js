() => {
  document.activeElement && document.activeElement.blur();
  const selector = 'a[href], button, input, select, textarea, summary, iframe, '
    + '[tabindex], [contenteditable="true"]';
  const out = [];
  for (const el of document.querySelectorAll(selector)) {
    if (el.matches(':disabled, [type="hidden"], [inert] *')) continue;
    if (el.tabIndex < 0) continue;
    if (!el.checkVisibility({visibilityProperty: true})) continue;
    // A <summary> other than its <details>' first one is not interactive.
    if (el.localName === 'summary' && el.parentElement.querySelector('summary') !== el) continue;
    // Content of a closed <details> is not rendered, checkVisibility covers it.
    const i = out.length;
    el.dataset.tabProbe = String(i);
    out.push({i, tag: el.localName, text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 40),
              unfocused: window.__focusStyle(el)});
  }
  return out;
}
