() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) continue;
    let clipped = false;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') { clipped = true; break; }
    }
    if (clipped) continue;
    if (r.right > width + 0.5 || r.left < -0.5) {
      out.push(`${el.localName}${el.className ? '.' + String(el.className).trim().split(/\s+/).join('.') : ''}`
               + ` [${Math.round(r.left)}, ${Math.round(r.right)}]`);
    }
  }
  return out.slice(0, 10);
}
