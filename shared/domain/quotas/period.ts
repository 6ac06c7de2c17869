import type { QuotaPeriod } from './quota.schema';

/** UTC calendar periods. Budgets reset at 00:00 UTC, on Mondays (ISO weeks) and on the 1st. */
export function periodKey(period: QuotaPeriod, at: Date): string {
  const iso = at.toISOString();
  if (period === 'day') return iso.slice(0, 10);
  if (period === 'month') return iso.slice(0, 7);
  const { year, week } = isoWeek(at);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** When the period containing `at` ends (exclusive), for counter expiry and "resets at" in views. */
export function periodEnd(period: QuotaPeriod, at: Date): Date {
  const start = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  if (period === 'day') return new Date(start.getTime() + 86_400_000);
  if (period === 'month') return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
  const weekday = (start.getUTCDay() + 6) % 7; // Monday = 0
  return new Date(start.getTime() + (7 - weekday) * 86_400_000);
}

function isoWeek(at: Date): { year: number; week: number } {
  const date = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const weekday = (date.getUTCDay() + 6) % 7;
  date.setUTCDate(date.getUTCDate() - weekday + 3); // the Thursday of this week decides the year
  const year = date.getUTCFullYear();
  const firstThursday = new Date(Date.UTC(year, 0, 4));
  const week = 1 + Math.round((date.getTime() - firstThursday.getTime()) / 86_400_000 / 7 - ((firstThursday.getUTCDay() + 6) % 7 - 3) / 7);
  return { year, week };
}
