/**
 * Narrow screens show Markdown tables (scopes, assumptions) as one card per row (template.hbs); each cell then
 * needs its column's name, which only the header row has. This copies it into the cell's `data-label`.
 */
export function labelTableCells() {
  for (const table of document.querySelectorAll<HTMLTableElement>('.md-table-wrapper table:not([data-labelled])')) {
    const labels = [...table.querySelectorAll('thead th')].map((th) => (th.textContent ?? '').trim());
    for (const row of table.querySelectorAll('tbody tr')) {
      for (const [index, cell] of [...row.children].entries())
        if (labels[index]) cell.setAttribute('data-label', labels[index]);
    }
    table.setAttribute('data-labelled', '');
  }
}
