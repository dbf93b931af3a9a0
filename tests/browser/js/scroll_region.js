() => {
  let el = document.querySelector('main table');
  while (el && !['auto', 'scroll'].includes(getComputedStyle(el).overflowX)) el = el.parentElement;
  return el && {
    tabIndex: el.tabIndex,
    name: el.getAttribute('aria-label') || (el.getAttribute('aria-labelledby') &&
      document.getElementById(el.getAttribute('aria-labelledby'))?.innerText) || '',
    scrollWidth: el.scrollWidth, clientWidth: el.clientWidth,
  };
}
