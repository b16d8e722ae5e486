/** How long after a `/wg sync` of a group the next one waits: a sync costs GitLab dozens of requests. */
export const SYNC_COOLDOWN_MS = 60_000;

/**
 * `/wg sync` at most once per group per cooldown, whoever asks: clicking it ten times (or ten people at
 * once) queues one sync, not ten. Kept in memory: a restart forgets it, which costs at most one sync.
 */
export class SyncCooldown {
  readonly #lastAt = new Map<number, number>();

  constructor(
    private readonly now: () => Date,
    readonly cooldownMs = SYNC_COOLDOWN_MS,
  ) {}

  /**
   * Claims a sync of the group: `{ ok: true }` and the cooldown starts, or when the next one may run.
   */
  claim(wgId: number): { ok: true } | { ok: false; nextAt: Date; waitSeconds: number } {
    const now = this.now().getTime();
    for (const [id, at] of this.#lastAt) if (now - at >= this.cooldownMs) this.#lastAt.delete(id);
    const last = this.#lastAt.get(wgId);
    if (last !== undefined && now - last < this.cooldownMs) {
      const nextAt = last + this.cooldownMs;
      return { ok: false, nextAt: new Date(nextAt), waitSeconds: Math.ceil((nextAt - now) / 1000) };
    }
    this.#lastAt.set(wgId, now);
    return { ok: true };
  }
}
