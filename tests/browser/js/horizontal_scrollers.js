() => [...document.querySelectorAll('body *')].filter((el) => {
  const x = getComputedStyle(el).overflowX;
  return (x === 'auto' || x === 'scroll') && el.scrollWidth > el.clientWidth;
}).map((el) => ({
  tag: el.localName, cls: String(el.className), tabIndex: el.tabIndex,
  named: !!(el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')),
  holdsCalendar: !!el.querySelector('table'),
}))
