/** How a key may appear in logs, errors and listings: its prefix and a few characters, never whole. */
export const VISIBLE_CHARACTERS = 4;

export function maskKey(value: string, prefix: string): string {
  const known = value.startsWith(prefix) ? prefix.length : 0;
  const visible = Math.min(known + VISIBLE_CHARACTERS, value.length - 1);
  return visible > 0 ? `${value.slice(0, visible)}…` : '…';
}
