import { isoDay } from './dates';

/** A GPU-hours or cost budget of one scope: a quota with a period (what `/v1/quotas` and `/v1/me/limits` list). */
export interface Budget {
  metric: 'gpu_hours' | 'cost_usd';
  period: 'day' | 'week' | 'month';
  limit: number;
  action: string;
}

export interface UsageDay {
  day: string;
  gpuHours: number;
  costUsd: number;
}

export interface BurnPoint {
  day: string;
  /** Cumulative since the 1st, through this day; undefined after today. */
  actual?: number;
  /** The month-end forecast at this month's average daily rate; from today on. */
  forecast?: number;
}

export interface BudgetStanding {
  budget: Budget;
  /** Settled use in the budget's current period (UTC day, ISO week from Monday, or calendar month). */
  used: number;
  percent: number;
  status: 'ok' | 'warning' | 'exceeded';
}

const DAY = 86_400_000;

/** Budgets are UTC calendar periods, as the API counts them: the day, the ISO week (from Monday), the month. */
export function periodStart(period: Budget['period'], now: Date): string {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  if (period === 'day') return isoDay(new Date(today));
  if (period === 'month') return isoDay(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)));
  const weekday = (new Date(today).getUTCDay() + 6) % 7;
  return isoDay(new Date(today - weekday * DAY));
}

/** The first day to ask `/v1/usage` for: this month's 1st, or the start of a week that began last month. */
export function burnRangeStart(budgets: readonly Budget[], now: Date): string {
  return [periodStart('month', now), ...budgets.map((budget) => periodStart(budget.period, now))].sort()[0] ?? periodStart('month', now);
}

const valueOf = (day: UsageDay, metric: Budget['metric']): number => (metric === 'gpu_hours' ? day.gpuHours : day.costUsd);

/**
 * Month-to-date burn of one metric: cumulative use per day up to today, then a straight-line forecast to
 * the month's end at this month's average daily rate (what a budget owner asks: "where will we land?").
 */
export function monthBurn(days: readonly UsageDay[], metric: Budget['metric'], now: Date): BurnPoint[] {
  const start = periodStart('month', now);
  const today = isoDay(now);
  const byDay = new Map(days.map((day) => [day.day, valueOf(day, metric)]));
  const points: BurnPoint[] = [];
  let total = 0;
  let elapsed = 0;
  for (let at = Date.parse(`${start}T00:00:00Z`); new Date(at).getUTCMonth() === new Date(Date.parse(`${start}T00:00:00Z`)).getUTCMonth(); at += DAY) {
    const day = isoDay(new Date(at));
    if (day <= today) {
      total += byDay.get(day) ?? 0;
      elapsed++;
      points.push({ day, actual: round(total), ...(day === today ? { forecast: round(total) } : {}) });
    } else {
      points.push({ day, forecast: round(total + (total / Math.max(1, elapsed)) * (points.length + 1 - elapsed)) });
    }
  }
  return points;
}

/** How each budget stands in its current period, from the settled daily usage. */
export function budgetStandings(budgets: readonly Budget[], days: readonly UsageDay[], now: Date): BudgetStanding[] {
  const today = isoDay(now);
  return budgets.map((budget) => {
    const from = periodStart(budget.period, now);
    const used = round(days.filter((day) => day.day >= from && day.day <= today).reduce((sum, day) => sum + valueOf(day, budget.metric), 0));
    const ratio = budget.limit > 0 ? used / budget.limit : used > 0 ? Infinity : 0;
    return { budget, used, percent: Math.min(999, Math.round(ratio * 1000) / 10), status: ratio > 1 ? 'exceeded' : ratio >= 0.8 ? 'warning' : 'ok' };
  });
}

/** The budgets among a list of quotas or limits: GPU-hours and cost with a period. */
export function budgetsOf(entries: ReadonlyArray<{ metric: string; period?: string; limit: number; action: string }>): Budget[] {
  return entries.flatMap((entry) =>
    (entry.metric === 'gpu_hours' || entry.metric === 'cost_usd') && (entry.period === 'day' || entry.period === 'week' || entry.period === 'month')
      ? [{ metric: entry.metric, period: entry.period, limit: entry.limit, action: entry.action }]
      : [],
  );
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
