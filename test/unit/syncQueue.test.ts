import { describe, expect, it } from 'vitest';
import { SyncQueue } from '../../src/jobs/syncQueue.js';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SyncQueue', () => {
  it('debounces a burst of requests for one group into one run', async () => {
    const runs: [number, string[]][] = [];
    const queue = new SyncQueue(async (id, reasons) => void runs.push([id, reasons]), {
      debounceMs: 20,
      maxWaitMs: 1000,
    });
    queue.request(1, 'webhook');
    queue.request(1, 'webhook');
    queue.request(1, 'cron');
    await tick(5);
    expect(runs).toEqual([]);
    await queue.idle();
    expect(runs).toEqual([[1, ['webhook', 'cron']]]);
  });

  it('runs groups one at a time and never one group twice at once', async () => {
    let running = 0;
    let maxRunning = 0;
    const order: number[] = [];
    const queue = new SyncQueue(
      async (id) => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        order.push(id);
        await tick(15);
        running -= 1;
      },
      { debounceMs: 0, maxWaitMs: 0 },
    );
    queue.request(1, 'a');
    queue.request(2, 'a');
    await tick(5);
    queue.request(1, 'again while running');
    await queue.idle();
    expect(maxRunning).toBe(1);
    expect(order).toEqual([1, 2, 1]);
  });

  it('keeps going after a failed run', async () => {
    const done: number[] = [];
    const queue = new SyncQueue(
      async (id) => {
        if (id === 1) throw new Error('boom');
        done.push(id);
      },
      { debounceMs: 0, maxWaitMs: 0 },
    );
    queue.request(1, 'a');
    queue.request(2, 'a');
    await queue.idle();
    expect(done).toEqual([2]);
  });

  it('runs at the latest maxWait after the first request, even while requests keep coming', async () => {
    let clock = 0;
    const runs: number[] = [];
    const queue = new SyncQueue(async () => void runs.push(clock), {
      debounceMs: 50,
      maxWaitMs: 60,
      now: () => clock,
    });
    queue.request(1, 'a');
    clock = 55;
    queue.request(1, 'b'); // only 5 ms left before maxWait
    await tick(20);
    expect(runs).toEqual([55]);
  });

  it('drops pending work on stop', async () => {
    const runs: number[] = [];
    const queue = new SyncQueue(async (id) => void runs.push(id), { debounceMs: 30, maxWaitMs: 100 });
    queue.request(1, 'a');
    queue.stop();
    await queue.idle();
    await tick(40);
    expect(runs).toEqual([]);
    expect(queue.state).toEqual({ pending: 0, running: null });
  });
});
