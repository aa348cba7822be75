/**
 * The path patterns of scenarios and journal filters: `/api/customers*`, where `*` matches anything, including
 * `/`, and every other character matches itself.
 *
 * Matched without a regular expression, so without backtracking: a pattern such as `/*a*a*a*a*a*a*b` turned
 * into `.*a.*a…b` made V8's backtracking engine try every way of placing the stars, which on a 3,000-character
 * path froze the process for minutes (both mocks with it). Here the pattern's literal pieces are found left to
 * right, each at its first place after the previous one: the first piece must start the path, the last must
 * end it. Taking the earliest place is never wrong (a later one only leaves less room for the pieces after), so
 * the search never goes back, and costs at most the path's length times the pattern's, whatever both hold.
 */
export interface PathPattern {
  /** Whether the whole path matches. */
  test(path: string): boolean;
}

export function pathPattern(glob: string): PathPattern {
  const pieces = glob.split('*');
  if (pieces.length === 1) return { test: (path) => path === glob };
  const first = pieces[0];
  const last = pieces[pieces.length - 1];
  const middle = pieces.slice(1, -1).filter((piece) => piece !== '');
  const fixed = first.length + last.length;
  return {
    test(path) {
      if (path.length < fixed || !path.startsWith(first) || !path.endsWith(last)) return false;
      // The middle pieces must fit between the first piece and the last one, without overlapping them.
      const end = path.length - last.length;
      let at = first.length;
      for (const piece of middle) {
        const found = path.indexOf(piece, at);
        if (found === -1 || found + piece.length > end) return false;
        at = found + piece.length;
      }
      return true;
    },
  };
}
