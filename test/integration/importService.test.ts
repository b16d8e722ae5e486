import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { ImportError } from '../../src/import/errors.js';
import { ImportService } from '../../src/services/importService.js';
import { StatusService } from '../../src/services/status.js';
import type { Store } from '../../src/store/store.js';
import { epicSeed, handbookSeed } from '../helpers/seeds.js';
import { tempStore } from '../helpers/store.js';

let store: Store;
let cleanup: () => void;
let clock: ManualClock;
let importer: ImportService;
let status: StatusService;

beforeEach(() => {
  clock = new ManualClock('2026-11-22T10:00:00Z');
  ({ store, cleanup } = tempStore(() => clock.now()));
  importer = new ImportService(store, () => clock.now());
  status = new StatusService(store, () => clock.now());
});
afterEach(() => cleanup());

const count = (table: string) => store.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get();

describe('importing a handbook page', () => {
  it('stores the group, and a second import updates it in place without duplicating anything', () => {
    const first = importer.importText(handbookSeed());
    expect(first).toMatchObject({
      kind: 'working-group',
      created: true,
      topLevelCriteria: 6,
      criteria: 13,
      roles: 16,
    });
    const ids = store.db.prepare('SELECT id FROM criteria ORDER BY id').pluck().all();
    const tables = ['working_groups', 'criteria', 'roles', 'people', 'follow_ups'];
    const history = ['progress_days', 'progress_day_criteria', 'item_events'];
    const counts = [...tables, ...history].map(count);
    expect(count('progress_days')).toBe(1);

    clock.advance(60_000);
    const second = importer.importText(handbookSeed());
    expect(second.created).toBe(false);
    expect(store.db.prepare('SELECT id FROM criteria ORDER BY id').pluck().all()).toEqual(ids);
    expect([...tables, ...history].map(count)).toEqual(counts);
  });

  it("updates a changed percentage in place, and today's figure with it", () => {
    importer.importText(handbookSeed());
    const before = store.db.prepare('SELECT id, title FROM criteria ORDER BY id').all();
    importer.importText(
      handbookSeed().replace(
        'Add runner executable E2E test environment `=> 100%`',
        'Add runner executable E2E test environment `=> 40%`',
      ),
    );
    expect(store.db.prepare('SELECT id, title FROM criteria ORDER BY id').all()).toEqual(before);
    const report = status.status('improve-ops-quality');
    expect(report.criteria[1]).toMatchObject({ percent: 40, source: 'handbook' });
    expect(report.overall).toBe(90);
    // One row per group and day, updated in place: the burn-up's point for today moved to 40.
    expect(count('progress_days')).toBe(1);
    const group = store.groups.getBySlug('improve-ops-quality')!;
    const today = store.progressDays.burnup(group.id, '2000-01-01T00:00:00.000Z');
    expect(today).toHaveLength(1);
    expect(today[0]).toMatchObject({ overall: 90, criteria: { '2': 40 } });
  });

  it('keeps figures from GitLab and Slack across re-imports, and drops criteria no longer on the page', () => {
    importer.importText(handbookSeed());
    const group = store.groups.getBySlug('improve-ops-quality')!;
    const tree = store.criteria.of(group.id);
    tree[1]!.gitlabPercent = 30;
    store.transaction(() => store.criteria.save(group.id, 'exit', tree));

    const withoutThird = handbookSeed().replace(
      '1. Add test coverage for high risk runner functionality `=> 100%`\n',
      '',
    );
    importer.importText(withoutThird);
    const report = status.status('improve-ops-quality');
    expect(report.criteria).toHaveLength(5);
    expect(report.criteria[1]).toMatchObject({ percent: 30, source: 'gitlab' });
    expect(report.criteria.map((c) => c.title)).not.toContain(
      'Add test coverage for high risk runner functionality',
    );
  });

  it('changes nothing when the page cannot be read', () => {
    importer.importText(handbookSeed());
    const snapshot = store.db.prepare('SELECT * FROM criteria ORDER BY id').all();
    const broken = `${handbookSeed()}\0`;
    expect(() => importer.importText(broken)).toThrow(ImportError);
    expect(store.db.prepare('SELECT * FROM criteria ORDER BY id').all()).toEqual(snapshot);
    expect(count('roles')).toBe(16);
  });

  it('keeps the progress history of a criterion the page no longer lists', () => {
    importer.importText(handbookSeed());
    const history = () =>
      store.db.prepare('SELECT day, path, percent FROM progress_day_criteria ORDER BY day, path').all() as {
        day: string;
        path: string;
        percent: number | null;
      }[];
    const before = history();
    clock.advance(86_400_000);
    importer.importText(
      handbookSeed().replace('1. Add test coverage for high risk runner functionality `=> 100%`\n', ''),
    );
    // Yesterday's figures stay as they were, the dropped criterion's included; today's row has one fewer.
    const [first, second] = [...new Set(history().map((r) => r.day))];
    expect(history().filter((r) => r.day === first)).toEqual(before);
    expect(history().filter((r) => r.day === second)).toHaveLength(before.length - 1);
  });

  it('never leaves a half-imported group: a failure after the first writes rolls everything back', () => {
    // A channel option that is not a channel fails before any write; a bad slug likewise.
    expect(() => importer.importText(handbookSeed(), { channel: 'not a channel!' })).toThrow(
      /is not a Slack channel/,
    );
    expect(() => importer.importText(handbookSeed(), { slug: 'Bad Slug' })).toThrow(/not a valid slug/);
    expect(count('working_groups')).toBe(0);
    // A failure inside the transaction (here: a constraint) rolls back the group row too.
    store.db.exec(
      "CREATE TRIGGER fail_roles BEFORE INSERT ON roles BEGIN SELECT RAISE(ABORT, 'disk on fire'); END",
    );
    expect(() => importer.importText(handbookSeed())).toThrow(/disk on fire/);
    expect(['working_groups', 'criteria', 'people', 'follow_ups'].map(count)).toEqual([0, 0, 0, 0]);
  });

  it('binds the group to a channel ID given with --channel, and keeps page roles separate from Slack ones', () => {
    importer.importText(handbookSeed(), { channel: 'C0123456789' });
    const group = store.groups.getBySlug('improve-ops-quality')!;
    expect(group).toMatchObject({ channel: 'C0123456789', slackChannelId: 'C0123456789' });
    expect(store.groups.getByChannelId('C0123456789')?.slug).toBe('improve-ops-quality');
  });
});

describe('importing an epic description', () => {
  it('needs a slug', () => {
    expect(() => importer.importText(epicSeed())).toThrow(/pass --slug/);
  });

  it('creates the group with four open items, then updates items in place', () => {
    const first = importer.importText(epicSeed(), { slug: 'devops-cicd' });
    expect(first).toMatchObject({ kind: 'epic', created: true, items: 4, removedItems: 0 });
    const report = status.status('devops-cicd');
    expect(report.items.map((i) => [i.sprint, i.owner, i.state, i.story])).toEqual([
      ['Sprint 20', 'Thor', 'open', '#2148'],
      ['Sprint 20', 'Thor', 'open', null],
      ['Sprint 21', 'Waldemar', 'open', null],
      ['Sprint 22', 'Waldemar', 'open', null],
    ]);
    const ids = report.items.map((i) => i.id);

    clock.advance(86_400_000);
    const edited = epicSeed()
      .replace('- [ ] Sprint 20: Workshop w. Roland', '- [x] Sprint 20: Workshop w. Roland')
      .replace('- [ ] Sprint 21: Update DoD', '- [ ] Sprint 23: Update DoD')
      .replace(/- \[ \] Sprint 20: SRE DevOps Assessment.*\n/, '');
    const second = importer.importText(edited, { slug: 'devops-cicd' });
    expect(second).toMatchObject({ created: false, items: 3, removedItems: 1 });
    const after = status.status('devops-cicd');
    expect(after.items.map((i) => [i.id, i.state, i.sprint])).toEqual([
      [ids[0], 'done', 'Sprint 20'],
      [ids[2], 'open', 'Sprint 23'],
      [ids[3], 'open', 'Sprint 22'],
    ]);
    const removed = store.items.getById(ids[1]!)!;
    expect(removed.removedAt).toBe('2026-11-23T10:00:00.000Z');
    expect(store.items.getById(ids[0]!)!.closedAt).toBe('2026-11-23T10:00:00.000Z');

    // Putting the line back brings the same item back.
    importer.importText(epicSeed(), { slug: 'devops-cicd' });
    expect(status.status('devops-cicd').items.map((i) => i.id)).toEqual(ids);
  });

  it('adds items to a group imported from its page, and the same owner is one person across groups', () => {
    importer.importText(handbookSeed());
    importer.importText('- [ ] Sprint 1: Review (Joanna Shih)\n', { slug: 'improve-ops-quality' });
    const report = status.status('improve-ops-quality');
    expect(report.items).toHaveLength(1);
    expect(report.criteria).toHaveLength(6);
    importer.importText('- [ ] Sprint 2: Other (joanna  shih)\n', { slug: 'devops-cicd' });
    expect(store.db.prepare("SELECT count(*) FROM people WHERE name_key = 'joanna shih'").pluck().get()).toBe(
      1,
    );
  });
});

describe('overdue by sprint cadence', () => {
  it('flags open items whose sprint has ended', () => {
    importer.importText(epicSeed(), { slug: 'devops-cicd' });
    const group = store.groups.getBySlug('devops-cicd')!;
    store.transaction(() =>
      store.groups.update(
        group.id,
        { cadence: { lengthDays: 14, anchorNumber: 21, anchorDate: '2026-11-16' } },
        clock.now(),
      ),
    );
    const report = status.status('devops-cicd');
    expect(report.currentSprint).toMatchObject({
      title: 'Sprint 21',
      startDate: '2026-11-16',
      endDate: '2026-11-29',
    });
    expect(report.items.map((i) => [i.sprint, i.overdue])).toEqual([
      ['Sprint 20', true],
      ['Sprint 20', true],
      ['Sprint 21', false],
      ['Sprint 22', false],
    ]);
    expect(report.counts).toEqual({ items: 4, open: 4, done: 0, overdue: 2 });
  });
});

describe('a page that says where the group stands', () => {
  const page = (status: string, dates = '| Date Ended | 2025-03-31 |\n') =>
    `---\ntitle: Lifecycle WG\n${status}---\n## Exit Criteria\n- One => 100%\n\n| Property | Value |\n|---|---|\n| Date Created | 2024-01-10 |\n${dates}`;

  it('ends or pauses the group as the page says, and a page that stops saying so makes it active again', () => {
    importer.importText(page(''));
    expect(status.status('lifecycle-wg')).toMatchObject({ lifecycle: 'ended', endedOn: '2025-03-31' });
    importer.importText(page('status: on hold\n'));
    expect(status.status('lifecycle-wg')).toMatchObject({ lifecycle: 'paused', endedOn: null });
    importer.importText(page('status: active\n', '| Target End Date | 2027-06-30 |\n'));
    expect(status.status('lifecycle-wg')).toMatchObject({ lifecycle: 'active', endedOn: null });
  });

  it('leaves a lifecycle set by a command alone when the page says nothing', () => {
    importer.importText(page('status: active\n', ''));
    const group = store.groups.getBySlug('lifecycle-wg')!;
    store.transaction(() =>
      store.groups.update(
        group.id,
        { name: group.name, lifecycle: 'paused', lifecycleSource: 'command' },
        clock.now(),
      ),
    );
    importer.importText(page('status: active\n', ''));
    expect(status.status('lifecycle-wg').lifecycle).toBe('paused');
  });

  it("ends a group whose End Date has passed despite a left-over 'status: active', and says so on the date's line", () => {
    const result = importer.importText(page('status: active\n', '| End Date | 2025-03-31 |\n'));
    expect(status.status('lifecycle-wg')).toMatchObject({ lifecycle: 'ended', endedOn: '2025-03-31' });
    expect(result.warnings).toContainEqual({
      line: 11,
      message:
        "read as ended on 2025-03-31 because the 'End Date' has passed (the front matter's 'status: active' is taken as out of date); if the group is still going, correct the page or run 'wgbot unarchive lifecycle-wg'",
    });
  });

  it('keeps a group active when only a target date has passed, or its Status attribute says it is open', () => {
    importer.importText(page('', '| Target End Date | 2025-03-31 |\n'));
    expect(status.status('lifecycle-wg')).toMatchObject({ lifecycle: 'active', endedOn: null });
    const open = importer.importText(page('', '| End Date | 2025-03-31 |\n| Overview & Status | Open |\n'));
    expect(status.status('lifecycle-wg')).toMatchObject({ lifecycle: 'active', endedOn: null });
    expect(open.warnings).toContainEqual({
      line: 10,
      message:
        "the 'End Date' 2025-03-31 has passed but the page's status says 'Open': read as active; if the group ended, correct the status",
    });
  });
});

describe('importing many pages', () => {
  const doc = (file: string, text: string) => ({ file, read: () => text });

  it('imports each page on its own: one refused page, one unreadable file, and the rest imported', async () => {
    const progress: number[] = [];
    const outcomes = await importer.importMany(
      [
        doc('seed.md', handbookSeed()),
        doc('notes.md', 'Just notes.\n'),
        {
          file: 'gone.md',
          read: () => {
            throw new Error('ENOENT');
          },
        },
        doc('odd.md', '# Odd WG\n\n## Exit Criteria\n\n- Thing => 150%\n'),
      ],
      {},
      { onProgress: (done) => progress.push(done) },
    );
    expect(outcomes.map((o) => [o.file, o.slug, o.status])).toEqual([
      ['seed.md', 'improve-ops-quality', 'imported'],
      ['notes.md', null, 'refused'],
      ['gone.md', null, 'refused'],
      ['odd.md', 'odd-wg', 'warnings'],
    ]);
    expect(outcomes[1]!.error).toMatch(/^line 1: this is neither a working-group page/);
    expect(outcomes[2]!.error).toBe('cannot import: ENOENT');
    expect(outcomes[3]!.warnings[0]).toEqual({ line: 5, message: expect.stringContaining("'=> 150%'") });
    expect(progress).toEqual([1, 2, 3, 4]);
    expect(count('working_groups')).toBe(2);
  });

  it('says when two pages give the same slug, and stops between pages when told to', async () => {
    const outcomes = await importer.importMany([doc('a.md', handbookSeed()), doc('b.md', handbookSeed())]);
    expect(outcomes[1]).toMatchObject({
      status: 'warnings',
      warnings: [
        {
          line: null,
          message: "a.md gave the same slug 'improve-ops-quality'; this page updated that group",
        },
      ],
    });
    const stop = new AbortController();
    stop.abort();
    expect(await importer.importMany([doc('a.md', handbookSeed())], {}, { signal: stop.signal })).toEqual([]);
  });
});
