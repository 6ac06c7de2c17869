import { describe, expect, it } from 'vitest';
import { MIN_HISTORY_RUNS, RUNTIME_HISTORY_HALF_LIFE_HOURS, typicalRuntimeShare } from '#domain/scheduling/runtime-history';

const at = new Date('2026-12-06T12:00:00.000Z');

describe('run history for estimated starts', () => {
  it('gives the decayed median tenth of max runtime, at its middle', () => {
    expect(typicalRuntimeShare({ 'd2026-12-06_2': 1, 'd2026-12-06_3': 1, 'd2026-12-06_9': 1 }, at)).toBe(0.35);
    expect(typicalRuntimeShare({ 'd2026-12-06_9': 3 }, at)).toBe(0.95);
  });

  it('weighs old runs less: a week-old majority loses to fresher runs', () => {
    const weekAgo = `d2026-11-29_9`;
    expect(RUNTIME_HISTORY_HALF_LIFE_HOURS).toBe(168);
    // 3 runs a week ago weigh 1.5; 2 runs today weigh 2.
    expect(typicalRuntimeShare({ [weekAgo]: 3, 'd2026-12-06_1': 2 }, at)).toBe(0.15);
  });

  it('has no opinion below the minimum of runs, nor on fair-share fields', () => {
    expect(MIN_HISTORY_RUNS).toBe(2);
    expect(typicalRuntimeShare({ 'd2026-12-06_5': 1 }, at)).toBeUndefined();
    expect(typicalRuntimeShare({ 'd2026-12-06': 40 }, at)).toBeUndefined();
    expect(typicalRuntimeShare(undefined, at)).toBeUndefined();
  });
});
