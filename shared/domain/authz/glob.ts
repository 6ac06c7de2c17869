/**
 * Glob matching for resource rules: `*` matches any run of characters (including none), `?` exactly one;
 * everything else matches itself, case-sensitively, over the whole value. No regular expressions are
 * built from user input, so a crafted pattern cannot cause catastrophic backtracking: this is the classic
 * greedy matcher with one backtrack point, O(pattern × value) at worst.
 */
export function globMatch(pattern: string, value: string): boolean {
  let p = 0;
  let v = 0;
  let starP = -1;
  let starV = 0;
  while (v < value.length) {
    const c = pattern[p];
    if (c !== undefined && c !== '*' && (c === '?' || c === value[v])) {
      p += 1;
      v += 1;
    } else if (c === '*') {
      starP = p;
      starV = v;
      p += 1;
    } else if (starP >= 0) {
      // Let the last `*` swallow one more character and retry from there.
      p = starP + 1;
      starV += 1;
      v = starV;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p += 1;
  return p === pattern.length;
}

/** Rule patterns: printable, no spaces, bounded. */
export const GLOB_PATTERN = /^[\x21-\x7e]{1,128}$/;
