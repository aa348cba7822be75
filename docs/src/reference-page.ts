/**
 * The script scripts/build-docs.ts inlines into each reference page (bundled by esbuild). Redoc renders sections
 * lazily and may re-render them, so what it adds is (re)applied after every render: the "Try it, locally" panels
 * (try-it.ts), the column names narrow screens show in table cells (table-labels.ts), and URLs kept whole
 * (whole-urls.ts).
 */
import { followAssumptionLinks } from './assumption-rows.ts';
import { labelTableCells } from './table-labels.ts';
import { attachTryItPanels, readManifest } from './try-it.ts';
import { keepUrlsWhole } from './whole-urls.ts';

const manifest = readManifest();
const enhance = () => {
  scheduled = false;
  labelTableCells();
  keepUrlsWhole();
  if (manifest) attachTryItPanels(manifest);
};
let scheduled = false;
new MutationObserver(() => {
  if (!scheduled) {
    scheduled = true;
    requestAnimationFrame(enhance);
  }
}).observe(document.body, { childList: true, subtree: true });
enhance();
followAssumptionLinks();
