() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const r = el.getBoundingClientRect();
  return {
    probe: el.dataset.tabProbe ?? null,
    tag: el.localName,
    id: el.id,
    text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 40),
    focused: window.__focusStyle(el),
    onScreen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0,
  };
}
