import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { ImportService } from '../../src/services/importService.js';
import { LinkService } from '../../src/services/linkService.js';
import { FakeGitlab } from '../fakes/gitlab.js';
import { FakeSlack } from '../fakes/slack.js';
import { wgbot as cli } from '../helpers/cli.js';
import { startWgbot, type Wgbot } from '../helpers/wgbot.js';

/**
 * #16.3 end to end: a criterion's figure changed by a GitLab sync, a title by a page import and an owner
 * by `/wg criteria owner` (a signed request through the real Bolt app) — `wgbot history --json` lists the
 * three, newest first, each with who or what made it.
 */
const SLUG = 'db-scale';
const page = (third: string) => `# DB Scale

## Exit Criteria

1. Read replicas serve analytics => 40%
1. Partition the events table => 60%
1. ${third} => 10%

## Roles and Responsibilities

| Role | Person |
|---|---|
| Facilitator | Joanna Shih |
`;

let clock: ManualClock;
let slack: FakeSlack;
let gitlab: FakeGitlab;
let server: Wgbot;

beforeEach(async () => {
  clock = new ManualClock('2026-11-23T09:00:00Z');
  slack = await FakeSlack.start({ clock: () => clock.now().getTime() });
  slack.addUser({ id: 'U0JOANNA', name: 'joanna', realName: 'Joanna Shih', tz: 'Europe/London' });
  slack.addChannel({ id: 'C0DB', name: 'wg_db-scale' });
  gitlab = await FakeGitlab.start({ now: () => clock.now() });
  gitlab.addGroup('acme');
  gitlab.addProject('acme/db');
  server = await startWgbot({ clock, slack, gitlabUrl: gitlab.url, gitlabToken: gitlab.token });
});

afterEach(async () => {
  await server.stop();
  await slack.close();
  await gitlab.close();
});

const minutes = (n: number) => clock.set(new Date(clock.now().getTime() + n * 60_000));

describe('criteria history', () => {
  it('history --json after a sync, an import and a /wg change shows three entries with their sources', async () => {
    const { store, sync } = server.server;
    const importer = new ImportService(store, () => clock.now());
    importer.importText(page('Connection pooling everywhere'), { slug: SLUG, channel: 'C0DB' });
    const issue = gitlab.addIssue('acme/db', { title: 'Replica routing', state: 'opened' });
    new LinkService(store, gitlab.url, () => clock.now()).link(SLUG, issue.web_url, '1');
    const group = () => store.groups.getBySlug(SLUG)!;
    expect((await sync.syncGroup(group())).status).toBe('synced');
    const setup = store.criterionChanges.latest(group().id, 100).length;
    expect(setup).toBeGreaterThan(0); // the import's criteria and the link's first figure

    minutes(10);
    gitlab.updateIssue('acme/db', issue.iid, { state: 'closed' });
    expect((await sync.syncGroup(group())).status).toBe('synced');
    minutes(10);
    importer.importText(page('Connection pooling in every service'), { slug: SLUG, channel: 'C0DB' });
    minutes(10);
    const ack = await server.slash('criteria owner 2 Grace Hopper', { user: 'U0JOANNA', channel: 'C0DB' });
    expect(ack.status).toBe(200);
    const answer = await slack.waitForCall('response_url', () => true);
    expect(JSON.stringify(answer.args)).toContain('Changed criterion 2');

    const run = await cli(['history', SLUG, '--json', '--db', store.db.name]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const changes = JSON.parse(run.stdout) as Record<string, unknown>[];
    expect(changes).toHaveLength(setup + 3);
    expect(changes.slice(0, 3)).toEqual([
      {
        criterionId: expect.any(Number),
        criterionTitle: 'Partition the events table',
        field: 'owner',
        from: null,
        to: 'Grace Hopper',
        by: 'slack:U0JOANNA',
        at: '2026-11-23T09:30:00.000Z',
      },
      {
        criterionId: expect.any(Number),
        criterionTitle: 'Connection pooling in every service',
        field: 'title',
        from: 'Connection pooling everywhere',
        to: 'Connection pooling in every service',
        by: 'import',
        at: '2026-11-23T09:20:00.000Z',
      },
      {
        criterionId: expect.any(Number),
        criterionTitle: 'Read replicas serve analytics',
        field: 'percent',
        from: 0,
        to: 100,
        by: 'sync',
        at: '2026-11-23T09:10:00.000Z',
      },
    ]);

    // One criterion's history, and the text form.
    const one = await cli(['history', SLUG, '--criterion', '1', '--db', store.db.name]);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain('percent 0% → 100%  (sync');
    expect(one.stdout).not.toContain('Grace Hopper');
  });

  it('/wg history answers in the acknowledgement; a figure set by someone who is no facilitator is refused, unrecorded', async () => {
    const { store } = server.server;
    new ImportService(store, () => clock.now()).importText(page('Connection pooling everywhere'), {
      slug: SLUG,
      channel: 'C0DB',
    });
    slack.addUser({ id: 'U0MALLORY', name: 'mallory', realName: 'Mallory', tz: 'Europe/London' });
    const group = store.groups.getBySlug(SLUG)!;
    const before = store.criterionChanges.latest(group.id, 100).length;

    const refused = await server.slash('criteria set 3 90%', { user: 'U0MALLORY', channel: 'C0DB' });
    expect(refused.status).toBe(200);
    const refusal = await slack.waitForCall('response_url', () => true);
    expect(JSON.stringify(refusal.args)).toContain('change exit criteria');
    expect(store.criterionChanges.latest(group.id, 100)).toHaveLength(before);

    minutes(5);
    await server.slash('criteria set 3 90%', { user: 'U0JOANNA', channel: 'C0DB' });
    const set = await slack.waitForCall('response_url', (c) =>
      JSON.stringify(c.args).includes('Changed criterion 3'),
    );
    expect(JSON.stringify(set.args)).toContain('Its figure still comes from the page (10%)');
    // The page's 10 % still comes first: the hand-set figure is kept, the shown one did not change.
    expect(store.criterionChanges.latest(group.id, 100)).toHaveLength(before);
    expect(store.criteria.of(group.id)[2]!.manualPercent).toBe(90);

    const history = await server.slash('history 3', { user: 'U0MALLORY', channel: 'C0DB' });
    const text = JSON.stringify(history.json);
    expect(text).toContain('history of criterion 3, Connection pooling everywhere');
    expect(text).toContain('added as “Connection pooling everywhere” — a page import');
    expect(text).not.toContain('Read replicas');
  });
});
