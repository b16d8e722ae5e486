import { describe, expect, it } from 'vitest';
import { Scheduler } from '../../src/jobs/scheduler.js';

describe('Scheduler', () => {
  it('stop() fires nothing more and returns only once the job under way has finished', async () => {
    const scheduler = new Scheduler(undefined, 'manual');
    let release = () => {};
    const events: string[] = [];
    scheduler.schedule('digest', '0 9 * * 1', 'UTC', async () => {
      events.push('started');
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      events.push('finished');
    });
    const ticking = scheduler.tick(new Date('2026-11-23T09:00:00Z'));
    await Promise.resolve();
    const stopping = scheduler.stop().then(() => events.push('stopped'));
    await new Promise((r) => setTimeout(r, 20));
    expect(events).toEqual(['started']);
    release();
    await Promise.all([ticking, stopping]);
    expect(events).toEqual(['started', 'finished', 'stopped']);
    expect(scheduler.running).toBe(false);
    expect(scheduler.jobs()).toEqual([]);
  });
});
