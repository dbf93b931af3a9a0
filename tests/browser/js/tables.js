() => {
  // What a sighted reader sees: text inside .visually-hidden helpers is left out.
  const visible = (el) => {
    let text = '';
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.parentElement.getBoundingClientRect().width > 1) text += n.textContent;
    }
    return text.trim();
  };
  return [...document.querySelectorAll('main table')].map((table) => {
    const firstRow = table.tHead ? table.tHead.rows[0] : table.rows[0];
    return {
      caption: table.caption ? table.caption.innerText : '',
      headers: [...firstRow.cells].filter((c) => c.localName === 'th').map(visible),
      thWithoutScope: [...table.querySelectorAll('th:not([scope])')].map(visible),
    };
  });
}
