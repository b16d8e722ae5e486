import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { type ExitReportPoster, ExitReportService } from '../../src/services/exitReport.js';
import { DeliveryError } from '../../src/services/ports.js';
import { slackFailure } from '../../src/slack/failures.js';
import { ImportService } from '../../src/services/importService.js';
import { LifecycleService } from '../../src/services/lifecycle.js';
import { exitReportMarkdown } from '../../src/cli/reportMarkdown.js';
import { FakeSlack } from '../fakes/slack.js';
import { startWgbot, type Wgbot } from '../helpers/wgbot.js';

const page = (a: string, b: string) => `---
title: "Database Scalability"
---

## Attributes

| Property | Value |
|----------|-------|
| Date Created | 2026-11-02 |
| Target End Date | 2026-11-30 |
| Slack | #wg_database-scalability |

## Exit Criteria

1. Read replicas serve analytics => ${a}
1. Connection pooling everywhere => ${b}

## Roles and Responsibilities

| Working Group Role | Person | Title |
|--------------------|--------|-------|
| Facilitator | Tomás Ortega | Engineering Manager |
`;

const EPIC = `# Database Scalability epic

## Tasks

- [x] Sprint 1: Design the replicas (Ada)
- [x] Sprint 1: Pool the API's connections (Ada, Lena)
- [x] Sprint 2: Pool the workers' connections (Lena)
- [ ] Sprint 2: Write the runbook (Lena)
`;

let slack: FakeSlack;
let clock: ManualClock;
let wgbot: Wgbot;

beforeEach(async () => {
  clock = new ManualClock('2026-11-20T09:00:00Z');
  slack = await FakeSlack.start();
  slack.addChannel({ id: 'C0DBWG', name: 'wg_database-scalability' });
  wgbot = await startWgbot({ clock, slack });
});

afterEach(async () => {
  await wgbot.stop();
  await slack.close();
});

const exitPosts = () =>
  slack.callsTo('chat.postMessage').filter((c) => String(c.args.text ?? '').includes('exit report'));

describe('exit report', () => {
  it('is posted to the channel once when the group reaches 100 %, with the days its criteria got there', async () => {
    const { store, scheduler } = wgbot.server;
    const importer = new ImportService(store, () => clock.now());
    importer.importText(page('40%', '10%'));
    importer.importText(EPIC, { slug: 'database-scalability' });
    await scheduler.tick(clock.now());
    expect(exitPosts()).toEqual([]);

    clock.set(new Date('2026-11-24T10:00:00Z'));
    importer.importText(page('100%', '60%'));
    clock.set(new Date('2026-11-27T10:00:00Z'));
    importer.importText(page('100%', '100%'));
    // The 15-minute job finds it; three more runs, a day apart, post nothing more.
    clock.set(new Date('2026-11-27T10:15:00Z'));
    for (let i = 0; i < 4; i++) {
      await scheduler.tick(clock.now());
      clock.advance(24 * 3_600_000);
    }
    const posts = exitPosts();
    expect(posts).toHaveLength(1);
    expect(posts[0]!.args.channel).toBe('#wg_database-scalability');
    const text = JSON.stringify(posts[0]!.args.blocks);
    expect(text).toContain('Database Scalability reached 100 %');
    expect(text).toContain('Took 25 days (2026-11-02 → 2026-11-27), 3 days before the target of 2026-11-30.');
    expect(text).toContain('1. Read replicas serve analytics — 100%, done 2026-11-24');
    expect(text).toContain('2. Connection pooling everywhere — 100%, done 2026-11-27');
    expect(text).toContain('Ada: 2 items closed');
    expect(text).toContain('Lena: 2 items closed');

    const group = store.groups.getBySlug('database-scalability')!;
    expect(new ExitReportService(store, null, () => clock.now()).build(group).reason).toBe('complete');
    const row = store.db.prepare('SELECT state, channel, message_ts FROM exit_reports').all();
    expect(row).toEqual([{ state: 'posted', channel: expect.any(String), message_ts: expect.any(String) }]);
  });

  it('writes the same report as markdown for the handbook page', () => {
    const { store } = wgbot.server;
    const importer = new ImportService(store, () => clock.now());
    clock.set(new Date('2026-11-24T10:00:00Z'));
    importer.importText(page('100%', '60%'));
    importer.importText(EPIC, { slug: 'database-scalability' });
    clock.set(new Date('2026-12-03T10:00:00Z'));
    importer.importText(page('100%', '100%'));
    const group = store.groups.getBySlug('database-scalability')!;
    const markdown = exitReportMarkdown(new ExitReportService(store, null, () => clock.now()).build(group));
    expect(markdown).toBe(`## Exit report

**Reached 100 %.** Took 31 days (2026-11-02 → 2026-12-03), 3 days after the target of 2026-11-30.

### Exit criteria

100% overall.

| # | Criterion | Progress | Done on |
| --- | --- | --- | --- |
| 1 | Read replicas serve analytics | 100% | 2026-11-24 |
| 2 | Connection pooling everywhere | 100% | 2026-12-03 |

### Items closed (3; 1 left open)

- Design the replicas — Ada (2026-11-24)
- Pool the API's connections — Ada, Lena (2026-11-24)
- Pool the workers' connections — Lena (2026-11-24)

### Who did what

- Ada: 2 items closed
- Lena: 2 items closed
`);
  });

  it('is posted once when a group is ended short of 100 %, and not for a group that ended long ago', async () => {
    const { store, scheduler } = wgbot.server;
    const importer = new ImportService(store, () => clock.now());
    importer.importText(page('100%', '30%'));
    importer.importText(page('20%', '30%').replace('Database Scalability', 'Old Group'));
    const lifecycle = new LifecycleService(store, () => clock.now());
    // Old Group ended a month before this wgbot learned to post exit reports: it gets none.
    clock.set(new Date('2026-10-01T10:00:00Z'));
    lifecycle.archive(store.groups.getBySlug('old-group')!);
    clock.set(new Date('2026-11-25T10:00:00Z'));
    lifecycle.archive(store.groups.getBySlug('database-scalability')!);
    await scheduler.tick(new Date('2026-11-25T10:15:00Z'));
    await scheduler.tick(new Date('2026-11-25T10:30:00Z'));
    const posts = exitPosts();
    expect(posts).toHaveLength(1);
    const text = JSON.stringify(posts[0]!.args.blocks);
    expect(text).toContain('Database Scalability has ended');
    expect(text).toContain('2. Connection pooling everywhere — 30%');
  });

  it('tries a post Slack refused again later, but never one that timed out (it may have landed)', async () => {
    const { store } = wgbot.server;
    const importer = new ImportService(store, () => clock.now());
    importer.importText(page('100%', '30%'));
    importer.importText(page('20%', '30%').replace('Database Scalability', 'Old Group'));
    const lifecycle = new LifecycleService(store, () => clock.now());
    lifecycle.archive(store.groups.getBySlug('database-scalability')!);
    lifecycle.archive(store.groups.getBySlug('old-group')!);
    const tries: string[] = [];
    const poster: ExitReportPoster = {
      async post(_channel, report) {
        tries.push(report.group.slug);
        // Slack answered 'no' for one; the other's request timed out with no answer at all.
        if (report.group.slug === 'old-group') throw new DeliveryError('channel_not_found');
        throw slackFailure(Object.assign(new Error('timeout'), { code: 'slack_webapi_request_error' }));
      },
    };
    const service = new ExitReportService(store, poster, () => clock.now());
    expect(await service.run()).toEqual({ posted: [], failed: ['database-scalability', 'old-group'] });
    expect(await service.run()).toEqual({ posted: [], failed: ['old-group'] });
    expect(tries).toEqual(['database-scalability', 'old-group', 'old-group']);
    const rows = store.db.prepare('SELECT state, error FROM exit_reports ORDER BY wg_id').all();
    expect(rows).toEqual([
      { state: 'posting', error: 'outcome unknown: timeout' },
      { state: 'failed', error: 'channel_not_found' },
    ]);
  });
});
