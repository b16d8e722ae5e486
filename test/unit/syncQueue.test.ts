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

  it('with maxConcurrent 1, runs groups one at a time and never one group twice at once', async () => {
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
      { debounceMs: 0, maxWaitMs: 0, maxConcurrent: 1 },
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

  it('a group that never finishes holds one slot only: the others, re-requested ones too, still run', async () => {
    const done: number[] = [];
    let runawaySignal: AbortSignal | null = null;
    const queue = new SyncQueue(
      (id, _reasons, signal) => {
        if (id !== 1) return Promise.resolve(void done.push(id));
        runawaySignal = signal;
        // Ends only when aborted, like a sync stuck on a GitLab that pages without end.
        return new Promise((resolve) => signal.addEventListener('abort', resolve));
      },
      { debounceMs: 0, maxWaitMs: 0, maxConcurrent: 2 },
    );
    queue.request(1, 'cron');
    for (const id of [2, 3, 4]) queue.request(id, 'cron');
    while (done.length < 3) await tick(1);
    queue.request(2, 'webhook');
    while (done.length < 4) await tick(1);
    expect(done).toEqual([2, 3, 4, 2]);
    expect(queue.runningGroups).toEqual([1]);
    expect(runawaySignal!.aborted).toBe(false);

    queue.stop();
    expect(runawaySignal!.aborted).toBe(true);
    await queue.idle();
    expect(queue.state).toEqual({ pending: 0, running: null });
  });

  it('takes groups in turn (a re-requested group goes to the back), a person’s request first', async () => {
    const order: number[] = [];
    const release: (() => void)[] = [];
    const queue = new SyncQueue(
      (id) => {
        order.push(id);
        return new Promise<void>((resolve) => release.push(resolve));
      },
      { debounceMs: 0, maxWaitMs: 0, maxConcurrent: 1 },
    );
    queue.request(1, 'cron');
    while (order.length < 1) await tick(1);
    queue.request(2, 'cron');
    queue.request(1, 'webhook while running');
    queue.request(3, 'cron');
    queue.request(4, '/wg sync', true);
    await tick(5);
    while (order.length < 5) {
      release.shift()?.();
      await tick(1);
    }
    release.shift()?.();
    await queue.idle();
    // Group 1, asked again while it ran, waits behind 2 and 3, which were waiting already.
    expect(order).toEqual([1, 4, 2, 3, 1]);
  });
});
