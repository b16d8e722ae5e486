import { describe, expect, it } from 'vitest';
import { deliveryWeeks } from '../../src/domain/deliveryWeeks.js';

const NOW = new Date('2026-11-30T09:00:00Z');
const daysAgo = (d: number, hours = 0) =>
  new Date(NOW.getTime() - d * 86_400_000 + hours * 3_600_000).toISOString();

describe('deliveryWeeks', () => {
  it('counts deploys and failures per week and takes lead time and restore medians, gaps where none', () => {
    const weeks = deliveryWeeks(
      [
        { status: 'success', createdAt: daysAgo(1), finishedAt: daysAgo(1), commitAt: daysAgo(1, -10) },
        { status: 'success', createdAt: daysAgo(2), finishedAt: daysAgo(2), commitAt: daysAgo(2, -20) },
        { status: 'success', createdAt: daysAgo(3), finishedAt: null, commitAt: null },
        { status: 'failed', createdAt: daysAgo(9), finishedAt: daysAgo(9), commitAt: null },
        { status: 'canceled', createdAt: daysAgo(9), finishedAt: daysAgo(9), commitAt: null },
        { status: 'success', createdAt: daysAgo(80), finishedAt: daysAgo(80), commitAt: null },
        { status: 'success', createdAt: 'not a date', finishedAt: null, commitAt: null },
      ],
      [
        { createdAt: daysAgo(20, -6), closedAt: daysAgo(20) },
        { createdAt: daysAgo(5), closedAt: null },
      ],
      NOW,
    );
    expect(weeks.deployments.map((w) => w.value)).toEqual([0, 0, 0, 0, 0, 0, 0, 3]);
    expect(weeks.failed.map((w) => w.value)).toEqual([0, 0, 0, 0, 0, 0, 1, 0]);
    expect(weeks.leadTimeHours.map((w) => w.value)).toEqual([null, null, null, null, null, null, null, 15]);
    expect(weeks.restoreHours.map((w) => w.value)).toEqual([null, null, null, null, null, 6, null, null]);
    expect(weeks.deployments[0]!.start).toBe('2026-10-05');
  });
});
