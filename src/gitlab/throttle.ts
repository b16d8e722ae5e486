import type { HttpDeps } from './http.js';

/** Bounds how many requests are in flight at once (GitLab and the proxies before it dislike bursts). */
export class Semaphore {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(size: number) {
    this.#free = size;
  }

  /** Waits for a slot; rejects (taking none) if `signal` aborts first. */
  async acquire(signal: AbortSignal): Promise<void> {
    if (this.#free > 0) {
      this.#free -= 1;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const grant = () => {
        signal.removeEventListener('abort', cancel);
        resolve();
      };
      const cancel = () => {
        const index = this.#waiting.indexOf(grant);
        if (index >= 0) this.#waiting.splice(index, 1);
        reject(signal.reason as Error);
      };
      this.#waiting.push(grant);
      signal.addEventListener('abort', cancel, { once: true });
    });
  }

  release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#free += 1;
  }
}

/** A sliding one-minute window of request start times: waits when the window is full. */
export class RateWindow {
  readonly #starts: number[] = [];

  constructor(
    private readonly perMinute: number,
    private readonly deps: Pick<HttpDeps, 'now'>,
  ) {}

  /** Takes a slot in the window, waiting with `wait` (which may refuse: a deadline, an abort). */
  async take(wait: (ms: number) => Promise<void>): Promise<number> {
    let waited = 0;
    for (;;) {
      const now = this.deps.now().getTime();
      while (this.#starts.length > 0 && this.#starts[0]! <= now - 60_000) this.#starts.shift();
      if (this.#starts.length < this.perMinute) {
        this.#starts.push(now);
        return waited;
      }
      const ms = this.#starts[0]! + 60_000 - now;
      waited += ms;
      await wait(ms);
    }
  }
}
