(name) => {
  const table = document.querySelector('main table');
  const header = [...table.tHead.rows].at(-1);
  const months = [];
  let col = 0;
  for (const cell of header.cells) {
    const month = cell.innerText.match(/(\d+)월/);
    for (let i = 0; i < cell.colSpan; i++) months[col + i] = month ? month[0] : '';
    col += cell.colSpan;
  }
  for (const row of table.tBodies.length ? [...table.tBodies].flatMap((b) => [...b.rows]) : []) {
    const th = row.querySelector('th[scope=row]');
    if (!th || th.innerText.trim() !== name) continue;
    const out = [];
    let at = 0;
    for (const cell of row.cells) {
      out.push({month: months[at], span: cell.colSpan, text: cell.innerText.trim()});
      at += cell.colSpan;
    }
    return out;
  }
  return null;
}
