/**
 * An assumption id under an operation links to the assumptions section (`#section/assumptions`, a Redoc route);
 * Redoc then shows the section's top, and a reader had to find the row. After such a click this scrolls to the
 * row of that id, once Redoc has drawn it, and marks it (`.vc-target`, template.hbs).
 */
const ASSUMPTION_ID = /^[A-Z]+-A\d+$/;
const LINK = 'a[href="#section/assumptions"]';

export function followAssumptionLinks() {
  document.addEventListener(
    'click',
    (event) => {
      const link = (event.target as Element | null)?.closest?.(LINK);
      const id = link?.textContent?.trim() ?? '';
      if (ASSUMPTION_ID.test(id)) scrollToRow(id);
    },
    true,
  );
}

/** Waits (frame by frame, at most ~5 s) for the row's cell to be drawn, then brings it into view. */
function scrollToRow(id: string, framesLeft = 300) {
  const cell = [...document.querySelectorAll('[data-section-id="/section/assumptions"] td:first-child')].find(
    (td) => td.textContent?.trim() === id,
  );
  if (!cell) {
    if (framesLeft > 0) requestAnimationFrame(() => scrollToRow(id, framesLeft - 1));
    return;
  }
  for (const row of document.querySelectorAll('.vc-target')) row.classList.remove('vc-target');
  const row = cell.closest('tr')!;
  row.classList.add('vc-target');
  keepInView(row);
}

/**
 * Redoc scrolls to the section's top on the same navigation, and may still be scrolling (or drawing what is above
 * the row) for a while: the row is brought back into view until it has stayed there for 10 frames (at most ~3 s).
 */
function keepInView(row: Element, framesLeft = 180, steady = 0) {
  const box = row.getBoundingClientRect();
  const inView = box.top >= 0 && box.bottom <= window.innerHeight;
  if (!inView) row.scrollIntoView({ block: 'center' });
  if (framesLeft > 0 && steady < 10)
    requestAnimationFrame(() => keepInView(row, framesLeft - 1, inView ? steady + 1 : 0));
}
