import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import { ManualClock } from '../../src/clock.js';
import { ImportService } from '../../src/services/importService.js';
import { LinkService } from '../../src/services/linkService.js';
import { FakeGitlab } from '../fakes/gitlab.js';
import { FakeSlack } from '../fakes/slack.js';
import { blockAction, type Message } from '../helpers/listeners.js';
import { handbookSeed, sprintsFromNov16 } from '../helpers/seeds.js';
import { startWgbot, type Wgbot } from '../helpers/wgbot.js';

// Plan vs tracker (issue 16): the epic's task lines against its stories in the fake GitLab, shown in the
// digest, `/wg status` and `/wg drift`, and put right by a facilitator's buttons — all over signed HTTP.

const DEVELOPER = 30;
const SLUG = 'improve-ops-quality';

let clock: ManualClock;
let slack: FakeSlack;
let gitlab: FakeGitlab;
let wgbot: Wgbot;
let epicIid: number;

/** Line 3 is ticked while its story is open; line 4's story is closed, unticked; line 5 has no story. */
function epicText(): string {
  return [
    '## Action items',
    '',
    '- [x] Sprint 20: Workshop w. Roland (Thor) - story created: #1',
    '- [ ] Sprint 20: Write the runbooks (Thor) - story created: acme/ops#2',
    '- [ ] Sprint 20: Set up alerting (@thor)',
    '- [ ] Sprint 23: Retrospective (Thor)',
    '',
    'Thor to create user stories and link them to this Epic.',
  ].join('\n');
}

beforeEach(async () => {
  clock = new ManualClock('2026-11-23T09:00:00Z');
  slack = await FakeSlack.start();
  slack.addUser({ id: 'U0JOANNA', name: 'joanna', realName: 'Joanna Shih', email: 'joanna@example.com' });
  slack.addUser({ id: 'U0KENNY', name: 'kenny', realName: 'Kenny Johnston', email: 'kenny@example.com' });
  slack.addChannel({ id: 'C0WG', name: 'wg_improve-ops-quality' });
  gitlab = await FakeGitlab.start({ now: () => clock.now() });
  gitlab.addGroup('acme');
  gitlab.addProject('acme/ops');
  gitlab.user('thor', 'Thor');
  for (const name of ['joanna', 'kenny']) gitlab.user(name);
  gitlab.people.setEmail('joanna', { publicEmail: 'joanna@example.com' });
  gitlab.people.setEmail('kenny', { publicEmail: 'kenny@example.com' });
  gitlab.people.addMember({ kind: 'group', path: 'acme' }, 'joanna', DEVELOPER);
  gitlab.people.addMember({ kind: 'group', path: 'acme' }, 'kenny', DEVELOPER);
  gitlab.addMilestone({ projectPath: 'acme/ops' }, { title: 'Sprint 20' });
  epicIid = gitlab.addEpic('acme', { title: 'Improve Ops Quality', description: epicText() }).iid;
  const epic = { groupPath: 'acme', iid: epicIid };
  gitlab.addIssue('acme/ops', { iid: 1, title: 'Workshop with Roland', epic });
  gitlab.addIssue('acme/ops', { iid: 2, title: 'Runbooks', epic, state: 'closed' });
  gitlab.addIssue('acme/ops', { iid: 3, title: 'Stray story', epic, assignees: [gitlab.user('kenny')] });

  wgbot = await startWgbot({ clock, slack, gitlabUrl: gitlab.url, gitlabToken: gitlab.token });
  const store = wgbot.server.store;
  new ImportService(store, () => clock.now()).importText(handbookSeed());
  sprintsFromNov16(store, clock.now(), SLUG);
  new LinkService(store, gitlab.url, () => clock.now(), []).link(
    SLUG,
    `${gitlab.url}/groups/acme/-/epics/${epicIid}`,
  );
  // Computed after each sync: the outcome (and `wgbot sync --json`) carries the count.
  expect((await sync()).disagreements).toBe(4);
});

afterEach(async () => {
  await wgbot.stop();
  await slack.close();
  await gitlab.close();
});

const group = () => wgbot.server.store.groups.getBySlug(SLUG)!;
const sync = async () => {
  const outcome = await wgbot.server.sync.syncGroup(group());
  expect(outcome.status).toBe('synced');
  return outcome;
};
const answer = async (id: string) =>
  (await slack.waitForCall('response_url', (c) => c.path.endsWith(`/${id}`))).args as Message;
const lineItem = (title: string) =>
  wgbot.server.store.items.listByWg(group().id).find((i) => i.source === 'epic_task' && i.title === title)!;
const press = (user: string, actionId: string, itemId: number, id: string) =>
  wgbot.interact(
    blockAction(
      user,
      { action_id: actionId, block_id: 'drift', value: String(itemId) },
      { response_url: slack.responseUrl(id) },
    ),
  );

describe('drift between the epic and GitLab', () => {
  it('lists a ticked line whose story is open in the digest, with the other disagreements and their owners', async () => {
    expect((await wgbot.server.digests.post(group(), 'manual')).status).toBe('posted');
    const post = slack
      .callsTo('chat.postMessage')
      .find((c) => String(c.args.text).startsWith('Weekly digest'))!;
    const blocks = JSON.stringify(post.args.blocks);
    expect(blocks).toContain('Plan vs GitLab — 4 things disagree');
    expect(blocks).toContain(
      '“Workshop w. Roland” is ticked in the epic, but its story acme/ops#1 is still open',
    );
    expect(blocks).toContain('story acme/ops#2 is closed, but its line “Write the runbooks” is not ticked');
    expect(blocks).toContain('“Set up alerting” (Sprint 20) has no story yet: story to be created — thor');
    expect(blocks).toContain(
      'story acme/ops#3 “Stray story” is linked to the epic, but no task line or criterion',
    );
    // Sprint 23 has not started: its line without a story is no disagreement yet.
    expect(blocks).not.toContain('Retrospective');
  });

  it('says how many things disagree in /wg status and shows them in /wg drift with the fix buttons', async () => {
    const status = await wgbot.slash('status', { user: 'U0KENNY' });
    expect(status.text).toContain(
      ':left_right_arrow: 4 things disagree between the plan and GitLab · `/wg drift` shows them',
    );
    const drift = await wgbot.slash('drift', { user: 'U0KENNY' });
    const view = drift.json as Message;
    expect(view.text).toBe('Improve Ops Quality: 4 things disagree');
    const buttons = (view.blocks ?? []).flatMap((b) => {
      const accessory = (b as { accessory?: { action_id: string; value: string } }).accessory;
      return accessory ? [accessory] : [];
    });
    expect(buttons).toEqual(
      [
        { action_id: 'drift_tick_line', value: String(lineItem('Write the runbooks').id) },
        { action_id: 'drift_create_story', value: String(lineItem('Set up alerting').id) },
      ].map((b) => expect.objectContaining(b)),
    );
  });

  it('lists the same in `wgbot drift --json`, each finding with its kind, sentence and owners', async () => {
    let stdout = '';
    const code = await runCli(['drift', SLUG, '--json'], {
      stdout: (text) => void (stdout += text),
      stderr: () => {},
      env: { DATABASE_PATH: wgbot.server.store.db.name },
      clock,
    });
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { count: number; findings: { kind: string; owners: string[] }[] };
    expect(report.count).toBe(4);
    expect(report.findings.map((f) => [f.kind, f.owners])).toEqual([
      ['ticked-open', ['Thor']],
      ['closed-unticked', ['Thor']],
      ['story-missing', ['thor']],
      ['unlisted-story', ['Kenny']],
    ]);
  });

  it('lets a facilitator tick the line: only that line changes in the epic', async () => {
    await press('U0JOANNA', 'drift_tick_line', lineItem('Write the runbooks').id, 'tick');
    expect((await answer('tick')).text).toContain('Ticked “Write the runbooks” in the epic.');
    expect(gitlab.getEpic('acme', epicIid).description).toBe(
      epicText().replace('- [ ] Sprint 20: Write the runbooks', '- [x] Sprint 20: Write the runbooks'),
    );
  });

  it('lets a facilitator create the story: assignee, milestone, epic link and the line rewritten', async () => {
    await press('U0JOANNA', 'drift_create_story', lineItem('Set up alerting').id, 'create');
    const said = (await answer('create')).text;
    expect(said).toContain('Created');
    expect(said).toContain('acme/ops#4');
    expect(said).toContain('assigned to thor in Sprint 20, linked to the epic and written on the line.');
    const created = gitlab.getIssue('acme/ops', 4);
    expect(created).toMatchObject({
      title: 'Set up alerting',
      assignees: [expect.objectContaining({ username: 'thor' })],
      milestone: expect.objectContaining({ title: 'Sprint 20' }),
      epic_iid: epicIid,
    });
    expect(gitlab.getEpic('acme', epicIid).description).toBe(
      epicText().replace(
        '- [ ] Sprint 20: Set up alerting (@thor)',
        '- [ ] Sprint 20: Set up alerting (@thor) - story created: acme/ops#4',
      ),
    );
    await sync();
    const drift = await wgbot.slash('drift', { user: 'U0KENNY' });
    expect((drift.json as Message).text).toBe('Improve Ops Quality: 3 things disagree');
  });

  const creates = () =>
    gitlab.requests.filter((r) => r.method === 'POST' && /\/projects\/[^/]+\/issues$/.test(r.path));

  it('creates one story when the button is pressed twice at once', async () => {
    const alerting = lineItem('Set up alerting').id;
    await Promise.all([
      press('U0JOANNA', 'drift_create_story', alerting, 'first'),
      press('U0JOANNA', 'drift_create_story', alerting, 'second'),
    ]);
    const said = [(await answer('first')).text, (await answer('second')).text];
    expect(said.filter((t) => t.includes('Created'))).toHaveLength(1);
    expect(said.filter((t) => t.includes('its story is being created right now'))).toHaveLength(1);
    expect(creates()).toHaveLength(1);
    expect(() => gitlab.getIssue('acme/ops', 5)).toThrow('no issue');
    expect(gitlab.getEpic('acme', epicIid).description).toContain(
      '- [ ] Sprint 20: Set up alerting (@thor) - story created: acme/ops#4\n',
    );
  });

  it('finishes the story it created when the epic link failed, on the next press, without another', async () => {
    const alerting = lineItem('Set up alerting').id;
    gitlab.failNext(/\/groups\/[^/]+\/epics\/\d+\/issues\/\d+$/, { status: 404 });
    await press('U0JOANNA', 'drift_create_story', alerting, 'broken');
    expect((await answer('broken')).text).toContain('Not done — GitLab did not take it');
    expect(gitlab.getIssue('acme/ops', 4)).toMatchObject({ title: 'Set up alerting', epic_iid: null });

    await press('U0JOANNA', 'drift_create_story', alerting, 'retry');
    expect((await answer('retry')).text).toContain('acme/ops#4');
    expect(creates()).toHaveLength(1);
    expect(gitlab.getIssue('acme/ops', 4)).toMatchObject({ epic_iid: epicIid });
    expect(() => gitlab.getIssue('acme/ops', 5)).toThrow('no issue');
    expect(gitlab.getEpic('acme', epicIid).description).toContain(
      'Set up alerting (@thor) - story created: acme/ops#4',
    );
  });

  it('refuses a facilitator without Developer access where the story would go', async () => {
    gitlab.addGroup('tools');
    gitlab.addProject('tools/ops');
    for (let i = 0; i < 4; i += 1)
      gitlab.addIssue('tools/ops', { title: `Tool ${i}`, epic: { groupPath: 'acme', iid: epicIid } });
    await sync();
    await press('U0JOANNA', 'drift_create_story', lineItem('Set up alerting').id, 'tools');
    expect((await answer('tools')).text).toContain('you need Developer access to tools/ops');
    expect(gitlab.requests.filter((r) => r.method === 'PUT' || r.method === 'POST')).toEqual([]);
  });

  it('refuses a member who is no facilitator, and writes nothing', async () => {
    await press('U0KENNY', 'drift_tick_line', lineItem('Write the runbooks').id, 'member');
    expect((await answer('member')).text).toContain(
      'Only facilitators can tick this line of Improve Ops Quality',
    );
    expect(gitlab.requests.filter((r) => r.method === 'PUT' || r.method === 'POST')).toEqual([]);
    expect(gitlab.getEpic('acme', epicIid).description).toBe(epicText());
  });

  it('says the api scope is missing, asking GitLab first, and writes nothing', async () => {
    gitlab.writes.scopes = ['read_api'];
    await press('U0JOANNA', 'drift_create_story', lineItem('Set up alerting').id, 'scope');
    expect((await answer('scope')).text).toContain(
      "wgbot's GitLab token can only read: this needs the `api` scope",
    );
    expect(gitlab.requests.filter((r) => r.method === 'PUT' || r.method === 'POST')).toEqual([]);
  });

  it('says the api scope is missing when only the refused write tells (older GitLab)', async () => {
    gitlab.writes.scopes = ['read_api'];
    gitlab.writes.selfEndpoint = false;
    await press('U0JOANNA', 'drift_tick_line', lineItem('Write the runbooks').id, 'older');
    expect((await answer('older')).text).toContain('this needs the `api` scope');
    expect(gitlab.getEpic('acme', epicIid).description).toBe(epicText());
  });
});
