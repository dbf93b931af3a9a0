() => {
  const el = document.activeElement;
  return el && el.contains(document.querySelector('main table')) ? el.scrollLeft : null;
}
