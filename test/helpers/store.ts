import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../src/store/store.js';

/** A fresh, migrated database in a temporary directory (a real file, so WAL behaves as in production). */
export function tempStore(now: () => Date = () => new Date('2026-11-22T10:00:00Z')): {
  store: Store;
  path: string;
  dir: string;
  cleanup: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'wgbot-test-'));
  const path = join(dir, 'wgbot.db');
  const store = openStore(path, now);
  return {
    store,
    path,
    dir,
    cleanup: () => {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'wgbot-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
