/** `yyyy-mm-dd` (UTC) of a date: the usage API's day keys. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The last `days` days up to today (UTC), as the usage API's `from`/`to`. */
export function lastDays(days: number, now: Date = new Date()): { from: string; to: string } {
  const from = new Date(now.getTime() - (days - 1) * 86_400_000);
  return { from: isoDay(from), to: isoDay(now) };
}

/** Every day of the range, so a chart shows the quiet days as zero rather than skipping them. */
export function fillDays<T extends { day: string }>(range: { from: string; to: string }, rows: readonly T[], empty: (day: string) => T): T[] {
  const byDay = new Map(rows.map((row) => [row.day, row]));
  const result: T[] = [];
  for (let at = Date.parse(`${range.from}T00:00:00Z`); at <= Date.parse(`${range.to}T00:00:00Z`); at += 86_400_000) {
    const day = isoDay(new Date(at));
    result.push(byDay.get(day) ?? empty(day));
  }
  return result;
}
