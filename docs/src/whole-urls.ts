/**
 * An inline `code` that is a URL or a host (`https://app-api.my-virtual-office.com`) is kept on one line
 * (`.vc-url`, template.hbs): wrapping would break it at a hyphen mid-hostname. Code in a block (`pre`) wraps as
 * before; only short spans qualify, so none is wider than a narrow screen.
 */
export const URL_LIKE = /^(https?:\/\/)?[a-z0-9-]+(\.[a-z0-9-]*)+(:\d+)?(\/\S*)?$/i;
const LONGEST = 48;

export function keepUrlsWhole() {
  for (const code of document.querySelectorAll<HTMLElement>('code:not(pre code):not([data-url-checked])')) {
    const text = (code.textContent ?? '').trim();
    if (text.length <= LONGEST && URL_LIKE.test(text)) code.classList.add('vc-url');
    code.setAttribute('data-url-checked', '');
  }
}
