/**
 * Ordinal string order (UTF-16 code units), for sorting identifiers and keys. Deliberately not
 * `localeCompare`: its first call builds an ICU collator (~6 ms on a Lambda cold start, docs/budgets.md), and a
 * locale-dependent order is wrong for ids, permission names and route templates anyway.
 */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
