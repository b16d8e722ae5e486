import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { cronAround, digestKind, missedDigest } from '../../src/domain/schedule.js';
import { claimOwner, claimOwnerGone } from '../../src/services/claimOwner.js';

const rule = { windowMs: 6 * 3_600_000, graceMs: 2 * 60_000 };
const weekly = { cron: '0 9 * * 1', timeZone: 'Europe/Berlin' };
const longAgo = new Date('2026-01-01T00:00:00Z');
const nothingRecorded = () => false;

describe('the last due minute of a schedule', () => {
  it('is this very minute when the cron matches it, else the one before; the next is after now', () => {
    // Mondays 09:00 in Berlin are 08:00 UTC in November.
    expect(cronAround('0 9 * * 1', new Date('2026-11-23T08:00:40Z'), 'Europe/Berlin')).toEqual({
      last: new Date('2026-11-23T08:00:00Z'),
      next: new Date('2026-11-30T08:00:00Z'),
    });
    expect(cronAround('0 9 * * 1', new Date('2026-11-23T07:59:59Z'), 'Europe/Berlin')!.last).toEqual(
      new Date('2026-11-16T08:00:00Z'),
    );
    // Across the switch to summer time the local minute stays 09:00.
    expect(cronAround('0 9 * * 1', new Date('2026-03-30T12:00:00Z'), 'Europe/Berlin')!.last).toEqual(
      new Date('2026-03-30T07:00:00Z'),
    );
    expect(cronAround('not a cron', new Date(), 'UTC')).toBeNull();
  });
});

describe('a missed digest', () => {
  const at = (iso: string) => new Date(iso);

  it('within the window is posted late; beyond it skipped; within the grace left to the on-time run', () => {
    expect(missedDigest(weekly, at('2026-11-23T08:01:00Z'), longAgo, rule, nothingRecorded)).toBeNull();
    expect(missedDigest(weekly, at('2026-11-23T08:02:00Z'), longAgo, rule, nothingRecorded)).toEqual({
      dueAt: at('2026-11-23T08:00:00Z'),
      period: '2026-W48',
      action: 'post-late',
    });
    expect(missedDigest(weekly, at('2026-11-23T14:00:00Z'), longAgo, rule, nothingRecorded)).toMatchObject({
      action: 'post-late',
    });
    expect(missedDigest(weekly, at('2026-11-23T14:00:01Z'), longAgo, rule, nothingRecorded)).toMatchObject({
      action: 'skip',
      period: '2026-W48',
    });
  });

  it('is none when its period has a record, or when it was due before the digest was owed', () => {
    const now = at('2026-11-23T10:00:00Z');
    expect(missedDigest(weekly, now, longAgo, rule, (p) => p === '2026-W48')).toBeNull();
    // The schedule was set (or the group created, or made active again) at 08:30 UTC, after the minute.
    expect(missedDigest(weekly, now, at('2026-11-23T08:30:00Z'), rule, nothingRecorded)).toBeNull();
  });

  it('only the latest minute counts: a daily schedule missed for days owes today’s digest alone', () => {
    const daily = { cron: '30 8 * * *', timeZone: 'UTC' };
    expect(missedDigest(daily, at('2026-11-25T09:00:00Z'), longAgo, rule, nothingRecorded)).toEqual({
      dueAt: at('2026-11-25T08:30:00Z'),
      period: '2026-11-25',
      action: 'post-late',
    });
  });

  it('manual periods are manual; everything else is scheduled', () => {
    expect(digestKind('manual-2026-11-23T09:00')).toBe('manual');
    expect(digestKind('2026-W48')).toBe('scheduled');
    expect(digestKind('2026-11-23')).toBe('scheduled');
  });
});

describe('claim owners', () => {
  it('this process is alive; its own pid under another tag is a process before a restart', () => {
    const mine = claimOwner('digest');
    expect(claimOwnerGone(mine)).toBe(false);
    expect(claimOwnerGone(claimOwner('digest'))).toBe(false);
    const tag = /:([0-9a-f]{8}):[0-9a-f]{8}$/.exec(mine)![1]!;
    const before = mine.replace(`:${tag}:`, `:${tag === '00000000' ? '11111111' : '00000000'}:`);
    expect(claimOwnerGone(before)).toBe(true);
  });

  it('a pid that runs nothing on this host is gone; another host, or a name it cannot read, is never', () => {
    // Linux pids stop below 2^22: this one cannot be running.
    expect(claimOwnerGone(`digest@${hostname()}:4999999:0123abcd:89abcdef`)).toBe(true);
    expect(claimOwnerGone(`digest@${hostname()}:${process.ppid}:0123abcd:89abcdef`)).toBe(false);
    expect(claimOwnerGone('digest@another-host:4999999:0123abcd:89abcdef')).toBe(false);
    expect(claimOwnerGone('digest-8c1f')).toBe(false);
  });
});
