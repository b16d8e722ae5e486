import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import type { ParsedWorkingGroup } from '../../src/import/handbook.js';
import { ImportService } from '../../src/services/importService.js';
import { LifecycleService } from '../../src/services/lifecycle.js';
import { StatusService } from '../../src/services/status.js';
import type { Store } from '../../src/store/store.js';
import { handbookSeed } from '../helpers/seeds.js';
import { tempStore } from '../helpers/store.js';

/**
 * What the page says about the group's life, laid over the real parser's output: the parser that reads
 * a page's status, end date and outcome is being written on another branch; the import rules are here.
 */
const page = vi.hoisted(() => ({
  says: null as Partial<Pick<ParsedWorkingGroup, 'lifecycle' | 'endedOn' | 'outcome'>> | null,
}));
vi.mock('../../src/import/document.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/import/document.js')>();
  return {
    ...original,
    parseDocument: (...args: Parameters<typeof original.parseDocument>) => {
      const parsed = original.parseDocument(...args);
      return parsed.kind === 'working-group' && page.says
        ? { ...parsed, group: { ...parsed.group, ...page.says } }
        : parsed;
    },
  };
});

let store: Store;
let cleanup: () => void;
let clock: ManualClock;
let importer: ImportService;
let lifecycle: LifecycleService;
let status: StatusService;

beforeEach(() => {
  page.says = null;
  clock = new ManualClock('2026-11-23T10:00:00Z');
  ({ store, cleanup } = tempStore(() => clock.now()));
  importer = new ImportService(store, () => clock.now());
  lifecycle = new LifecycleService(store, () => clock.now());
  status = new StatusService(store, () => clock.now());
});
afterEach(() => cleanup());

const SLUG = 'improve-ops-quality';
const group = () => store.groups.getBySlug(SLUG)!;

describe('importing what a page says about the group’s life', () => {
  it('stores an ended page as ended, with its end date and outcome, and no days past target', () => {
    page.says = { lifecycle: 'ended', endedOn: '2021-07-30', outcome: 'Done: all exit criteria met' };
    importer.importText(handbookSeed());
    expect(group()).toMatchObject({
      lifecycle: 'ended',
      lifecycleSource: 'page',
      endedOn: '2021-07-30',
      outcome: 'Done: all exit criteria met',
    });
    expect(status.status(SLUG)).toMatchObject({
      lifecycle: 'ended',
      endedOn: '2021-07-30',
      daysLeft: null,
      outcome: 'Done: all exit criteria met',
    });
  });

  it('leaves the end date unknown when an ended page gives none, rather than inventing one', () => {
    page.says = { lifecycle: 'ended', endedOn: null };
    importer.importText(handbookSeed());
    expect(group()).toMatchObject({ lifecycle: 'ended', endedOn: null });
  });

  it('keeps a group archived by command when the page says nothing about its life', () => {
    importer.importText(handbookSeed());
    lifecycle.archive(group());
    expect(group()).toMatchObject({ lifecycle: 'ended', lifecycleSource: 'command', endedOn: '2026-11-23' });
    clock.advance(86_400_000);
    importer.importText(handbookSeed());
    expect(group()).toMatchObject({ lifecycle: 'ended', lifecycleSource: 'command', endedOn: '2026-11-23' });
  });

  it('ends a group reopened by command again when its page says it ended', () => {
    page.says = { lifecycle: 'ended', endedOn: '2021-07-30' };
    importer.importText(handbookSeed());
    const reopened = lifecycle.unarchive(group());
    expect(reopened).toMatchObject({ changed: true, pageSaysEnded: true });
    expect(group()).toMatchObject({ lifecycle: 'active', endedOn: null });
    importer.importText(handbookSeed());
    expect(group()).toMatchObject({ lifecycle: 'ended', lifecycleSource: 'page', endedOn: '2021-07-30' });
  });

  it('archives on the end date the page gave, else today in the group’s zone', () => {
    page.says = { lifecycle: 'ended', endedOn: '2021-07-30' };
    importer.importText(handbookSeed());
    lifecycle.unarchive(group());
    expect(lifecycle.archive(group()).group.endedOn).toBe('2021-07-30');
  });

  it('follows the page when the page itself takes back a pause it had set', () => {
    page.says = { lifecycle: 'paused' };
    importer.importText(handbookSeed());
    expect(group()).toMatchObject({ lifecycle: 'paused', endedOn: null });
    expect(status.status(SLUG).daysLeft).toBeNull();
    page.says = null;
    importer.importText(handbookSeed());
    expect(group()).toMatchObject({ lifecycle: 'active', lifecycleSource: null });
  });
});

describe('deleting a group', () => {
  it('removes it and every row that hangs off it, and leaves other groups and people alone', () => {
    importer.importText(handbookSeed());
    importer.importText(handbookSeed(), { slug: 'other-group', name: 'Other Group' });
    const people = store.db.prepare('SELECT count(*) FROM people').pluck().get();
    expect(lifecycle.delete(group())).toBe(true);
    expect(store.groups.getBySlug(SLUG)).toBeNull();
    const other = store.groups.getBySlug('other-group')!;
    for (const table of ['criteria', 'roles', 'follow_ups', 'progress_snapshots']) {
      const orphans = store.db
        .prepare(`SELECT count(*) FROM ${table} WHERE wg_id <> ?`)
        .pluck()
        .get(other.id);
      expect(orphans, table).toBe(0);
    }
    expect(store.db.prepare('SELECT count(*) FROM people').pluck().get()).toBe(people);
  });
});
