import { describe, expect, it } from 'vitest';
import { budgetStandings, budgetsOf, burnRangeStart, monthBurn, periodStart, type Budget } from './burn';

// Wednesday 2026-04-15, midday UTC.
const now = new Date('2026-04-15T12:00:00Z');
const day = (date: string, gpuHours: number, costUsd = gpuHours * 2) => ({ day: date, gpuHours, costUsd });

describe('budget burn', () => {
  it('starts periods as the API counts them: UTC day, ISO week from Monday, calendar month', () => {
    expect(periodStart('day', now)).toBe('2026-04-15');
    expect(periodStart('week', now)).toBe('2026-04-13');
    expect(periodStart('month', now)).toBe('2026-04-01');
    // A week that began last month widens the usage range to its Monday.
    const thursday = new Date('2026-04-02T08:00:00Z');
    expect(burnRangeStart([{ metric: 'cost_usd', period: 'week', limit: 1, action: 'block' }], thursday)).toBe('2026-03-30');
    expect(burnRangeStart([], thursday)).toBe('2026-04-01');
  });

  it('accumulates the month day by day and forecasts its end at the average daily rate', () => {
    const points = monthBurn([day('2026-04-02', 3), day('2026-04-15', 4.5), day('2026-03-31', 100)], 'gpu_hours', now);
    expect(points).toHaveLength(30);
    expect(points[0]).toEqual({ day: '2026-04-01', actual: 0 });
    expect(points[1]).toEqual({ day: '2026-04-02', actual: 3 });
    expect(points[14]).toEqual({ day: '2026-04-15', actual: 7.5, forecast: 7.5 });
    // 7.5 GPU-h in 15 days = 0.5 a day: 15 more days to the 30th.
    expect(points[29]).toEqual({ day: '2026-04-30', forecast: 15 });
    expect(points.slice(15).every((point) => point.actual === undefined)).toBe(true);
  });

  it('says how much of each budget its current period has used', () => {
    const budgets: Budget[] = [
      { metric: 'gpu_hours', period: 'month', limit: 10, action: 'block' },
      { metric: 'cost_usd', period: 'week', limit: 10, action: 'warn' },
      { metric: 'cost_usd', period: 'day', limit: 5, action: 'notify' },
    ];
    const days = [day('2026-04-02', 3), day('2026-04-13', 1), day('2026-04-15', 4.5)];
    expect(budgetStandings(budgets, days, now).map(({ used, percent, status }) => ({ used, percent, status }))).toEqual([
      { used: 8.5, percent: 85, status: 'warning' },
      { used: 11, percent: 110, status: 'exceeded' },
      { used: 9, percent: 180, status: 'exceeded' },
    ]);
  });

  it('keeps only GPU-hours and cost quotas with a period as budgets', () => {
    expect(
      budgetsOf([
        { metric: 'cost_usd', period: 'month', limit: 100, action: 'block' },
        { metric: 'gpu_hours', limit: 5, action: 'warn' },
        { metric: 'concurrent_gpus', limit: 8, action: 'block' },
      ]),
    ).toEqual([{ metric: 'cost_usd', period: 'month', limit: 100, action: 'block' }]);
  });
});
