/**
 * Store failures an operator must act on — the disk is full, failing or read-only, the file damaged — as
 * opposed to a bug or a busy lock. They are told apart by SQLite's result code (better-sqlite3's
 * SqliteError `code`: SQLITE_FULL, SQLITE_IOERR_WRITE, SQLITE_READONLY_DBMOVED, …).
 */
export interface StoreFailure {
  code: string;
  /** What happened, in words a Slack user can read: "the disk is full". */
  reason: string;
  at: string;
}

const REASONS: [RegExp, string][] = [
  [/^SQLITE_FULL$/, 'the disk is full'],
  [/^SQLITE_IOERR/, 'the disk could not be read or written'],
  [/^SQLITE_READONLY/, 'the database is read-only'],
  [/^SQLITE_(CORRUPT|NOTADB)/, 'the database file is damaged'],
  [/^SQLITE_CANTOPEN/, 'the database file cannot be opened'],
];

/** The reason when `error` is one of those store failures, else null. */
export function storeFailureReason(error: unknown): { code: string; reason: string } | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  const found = REASONS.find(([pattern]) => pattern.test(code));
  return found ? { code, reason: found[1] } : null;
}

/**
 * The last store failure of this process, until a write succeeds again: `/healthz` answers 503 with it
 * meanwhile. Kept in memory — a full disk cannot record its own failure.
 */
export class StoreHealth {
  #failure: StoreFailure | null = null;

  constructor(private readonly now: () => Date) {}

  /** Records `error` when it is a store failure; returns what was recorded (null: not one). */
  record(error: unknown): StoreFailure | null {
    const found = storeFailureReason(error);
    if (!found) return null;
    this.#failure = { ...found, at: this.now().toISOString() };
    return this.#failure;
  }

  recovered(): void {
    this.#failure = null;
  }

  get failure(): StoreFailure | null {
    return this.#failure;
  }
}
