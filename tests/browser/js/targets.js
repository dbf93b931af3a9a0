() => {
  for (const d of document.querySelectorAll('details')) d.open = true;
  const isTarget = 'a[href], button, input:not([type="hidden"]), select, textarea, summary, [role="button"]';
  const blockOf = (el) => {
    let node = el.parentElement;
    while (node && getComputedStyle(node).display.startsWith('inline')) node = node.parentElement;
    return node;
  };
  const ownText = (block) => {
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    let text = '';
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.parentElement.closest(isTarget)) continue;
      if (!n.parentElement.checkVisibility()) continue;
      text += n.textContent;
    }
    return text.replace(/\s+/g, '');
  };
  const out = [];
  for (const el of document.querySelectorAll(isTarget)) {
    if (!el.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    let r = el.getBoundingClientRect();
    // 1 px boxes are the visually-hidden technique (a control replaced by a widget).
    if (r.width <= 1 || r.height <= 1) continue;
    const docTop = r.top + scrollY, docLeft = r.left + scrollX;
    if (docTop + r.height <= 0 || docLeft + r.width <= 0) continue;
    const style = getComputedStyle(el);
    if (el.localName === 'a' && style.display === 'inline' && ownText(blockOf(el)).length > 0) continue;
    let box = {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
    if (el.matches('input[type="checkbox"], input[type="radio"]')) {
      for (const label of el.labels) {
        const l = label.getBoundingClientRect();
        box = {left: Math.min(box.left, l.left), top: Math.min(box.top, l.top),
               right: Math.max(box.right, l.right), bottom: Math.max(box.bottom, l.bottom)};
      }
    }
    const width = box.right - box.left, height = box.bottom - box.top;
    if (width < 24 || height < 24) {
      const path = [];
      for (let n = el; n && n !== document.body && path.length < 4; n = n.parentElement) {
        path.unshift(n.localName + (n.id ? '#' + n.id : '') + (n.classList.length ? '.' + [...n.classList].join('.') : ''));
      }
      out.push({selector: path.join(' > '), text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 30),
                width: Math.round(width * 10) / 10, height: Math.round(height * 10) / 10});
    }
  }
  return out;
}
