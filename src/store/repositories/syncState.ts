import type { Db } from '../db.js';

export interface SyncState {
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  cursor: Record<string, unknown>;
}

interface SyncRow {
  last_attempt_at: string | null;
  last_success_at: string | null;
  last_error: string | null;
  last_error_at: string | null;
  cursor: string | null;
}

const EMPTY: SyncState = {
  lastAttemptAt: null,
  lastSuccessAt: null,
  lastError: null,
  lastErrorAt: null,
  cursor: {},
};

export interface LeaseAttempt {
  acquired: boolean;
  /** Another owner's lease found there: still held (not acquired) or expired and taken over (acquired). */
  previous: { owner: string; until: string } | null;
}

/** When each group was last synced, the last error, and where an incremental sync resumes. */
export class SyncStateRepository {
  readonly #get;
  readonly #all;
  readonly #success;
  readonly #failure;
  readonly #forget;
  readonly #ensure;
  readonly #acquire;
  readonly #release;
  readonly #renew;
  readonly #lease;

  constructor(db: Db) {
    this.#lease = db.prepare<[number], { lease_owner: string | null; lease_until: string | null }>(
      'SELECT lease_owner, lease_until FROM sync_state WHERE wg_id = ?',
    );
    this.#ensure = db.prepare<[number]>('INSERT OR IGNORE INTO sync_state (wg_id) VALUES (?)');
    this.#acquire = db.prepare(
      `UPDATE sync_state SET lease_owner = @owner, lease_until = @until
       WHERE wg_id = @wgId AND (lease_owner IS NULL OR lease_owner = @owner OR lease_until < @now)`,
    );
    this.#renew = db.prepare(
      'UPDATE sync_state SET lease_until = @until WHERE wg_id = @wgId AND lease_owner = @owner',
    );
    this.#release = db.prepare<[number, string]>(
      'UPDATE sync_state SET lease_owner = NULL, lease_until = NULL WHERE wg_id = ? AND lease_owner = ?',
    );
    this.#get = db.prepare<[number], SyncRow>('SELECT * FROM sync_state WHERE wg_id = ?');
    this.#all = db.prepare<[], SyncRow & { wg_id: number }>('SELECT * FROM sync_state');
    this.#success = db.prepare(
      `INSERT INTO sync_state (wg_id, last_attempt_at, last_success_at, last_error, last_error_at, cursor)
       VALUES (@wgId, @at, @at, NULL, NULL, @cursor)
       ON CONFLICT (wg_id) DO UPDATE SET last_attempt_at = @at, last_success_at = @at, last_error = NULL,
         last_error_at = NULL, cursor = @cursor`,
    );
    this.#forget = db.prepare<[number]>(
      'UPDATE sync_state SET last_error = NULL, last_error_at = NULL WHERE wg_id = ?',
    );
    this.#failure = db.prepare(
      `INSERT INTO sync_state (wg_id, last_attempt_at, last_error, last_error_at) VALUES (@wgId, @at, @error, @at)
       ON CONFLICT (wg_id) DO UPDATE SET last_attempt_at = @at, last_error = @error, last_error_at = @at`,
    );
  }

  /** Drops the recorded sync error: it was about a link that is gone. */
  forgetFailure(wgId: number): void {
    this.#forget.run(wgId);
  }

  /**
   * Takes the group's sync lease for `owner` until `until`, unless another owner holds an unexpired one.
   * Two wgbot processes started by mistake thus never sync one group at once. Says who held it before: the
   * holder that keeps it (not acquired), or the one whose expired lease was taken over (a process that
   * crashed mid-sync). Run it inside a transaction, so the two reads see one state.
   */
  acquireLease(wgId: number, owner: string, now: Date, until: Date): LeaseAttempt {
    this.#ensure.run(wgId);
    const before = this.#lease.get(wgId);
    const acquired =
      this.#acquire.run({ wgId, owner, now: now.toISOString(), until: until.toISOString() }).changes === 1;
    const other =
      before?.lease_owner && before.lease_owner !== owner
        ? { owner: before.lease_owner, until: before.lease_until ?? '' }
        : null;
    return { acquired, previous: other };
  }

  /**
   * Extends a lease `owner` still holds. False when another owner took it meanwhile (even one who has
   * finished and released it): the data fetched under the old lease may be older than what is stored.
   */
  renewLease(wgId: number, owner: string, until: Date): boolean {
    return this.#renew.run({ wgId, owner, until: until.toISOString() }).changes === 1;
  }

  releaseLease(wgId: number, owner: string): void {
    this.#release.run(wgId, owner);
  }

  get(wgId: number): SyncState {
    const row = this.#get.get(wgId);
    return row ? toState(row) : { ...EMPTY };
  }

  all(): Map<number, SyncState> {
    return new Map(this.#all.all().map((row) => [row.wg_id, toState(row)]));
  }

  recordSuccess(wgId: number, at: Date, cursor: Record<string, unknown>): void {
    this.#success.run({ wgId, at: at.toISOString(), cursor: JSON.stringify(cursor) });
  }

  /** Records a failed sync; the last good sync's time and cursor stay, so answers keep their age. */
  recordFailure(wgId: number, at: Date, error: string): void {
    this.#failure.run({ wgId, at: at.toISOString(), error: error.slice(0, 2000) });
  }
}

function toState(row: SyncRow): SyncState {
  return {
    lastAttemptAt: row.last_attempt_at,
    lastSuccessAt: row.last_success_at,
    lastError: row.last_error,
    lastErrorAt: row.last_error_at,
    cursor: row.cursor ? (JSON.parse(row.cursor) as Record<string, unknown>) : {},
  };
}
