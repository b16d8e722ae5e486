import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { ImportService } from '../../src/services/importService.js';
import { LinkService } from '../../src/services/linkService.js';
import { FakeGitlab } from '../fakes/gitlab.js';
import { FakeSlack } from '../fakes/slack.js';
import { blockAction } from '../helpers/listeners.js';
import { handbookSeed } from '../helpers/seeds.js';
import { startWgbot, type Wgbot } from '../helpers/wgbot.js';

/**
 * A whole self-assessment round through the real Bolt app: the facilitator starts it, five members answer
 * in the form, the one who does not is reminded once at 09:00 in her own zone, the round closes at its due
 * time, the channel gets aggregates only, and a facilitator files the gap areas as GitLab issues.
 */
const MEMBERS = {
  U0JOANNA: {
    name: 'joanna',
    realName: 'Joanna Shih',
    tz: 'America/Los_Angeles',
    email: 'joanna@example.com',
  },
  U0KENNY: { name: 'kenny', realName: 'Kenny Johnston', tz: 'UTC' },
  U0SAM: { name: 'sam', realName: 'Sam Goldstein', tz: 'America/New_York' },
  U0JACKIE: { name: 'jackie', realName: 'Jackie Porter', tz: 'Asia/Tokyo' },
  U0DAN: { name: 'dan', realName: 'Dan Croft', tz: 'Australia/Sydney' },
  U0DARBY: { name: 'darby', realName: 'Darby Frey', tz: 'Europe/Berlin' },
} as const;
const ANSWERING = ['U0JOANNA', 'U0KENNY', 'U0SAM', 'U0JACKIE', 'U0DAN'] as const;
const QUESTIONS = {
  'test-automation': ['unit-tests', 'integration-tests'],
  'ci-cd': ['pipeline-per-change', 'deploy-automation'],
  environments: ['env-parity', 'env-on-demand'],
  monitoring: ['alerts', 'dashboards'],
  'incident-response': ['on-call', 'postmortems'],
};
const MIN = 60_000;

let clock: ManualClock;
let slack: FakeSlack;
let gitlab: FakeGitlab;
let wgbot: Wgbot;
let epicIid: number;

beforeAll(async () => {
  clock = new ManualClock('2026-11-23T16:00:00Z'); // a Monday
  slack = await FakeSlack.start({ clock: () => clock.now().getTime() });
  for (const [id, u] of Object.entries(MEMBERS)) slack.addUser({ id, ...u });
  slack.addChannel({ id: 'C0WG', name: 'wg_improve-ops-quality' });
  gitlab = await FakeGitlab.start({ now: () => clock.now() });
  gitlab.addGroup('g');
  gitlab.addProject('g/app');
  gitlab.user('joanna');
  gitlab.people.setEmail('joanna', { publicEmail: 'joanna@example.com' });
  // Filing backlog issues needs her own Developer access to the project too (the gate's unit test refuses).
  gitlab.people.addMember({ kind: 'project', path: 'g/app' }, 'joanna', 30);
  epicIid = gitlab.addEpic('g', { title: 'Improve Ops Quality' }).iid;
  gitlab.addIssue('g/app', { title: 'Story', epic: { groupPath: 'g', iid: epicIid } });
  wgbot = await startWgbot({ clock, slack, gitlabUrl: gitlab.url, gitlabToken: gitlab.token });
  const store = wgbot.server.store;
  new ImportService(store, () => clock.now()).importText(handbookSeed(), { channel: 'C0WG' });
  new LinkService(store, gitlab.url, () => clock.now()).link(
    'improve-ops-quality',
    `${gitlab.url}/groups/g/-/epics/${epicIid}`,
  );
  await wgbot.server.sync.syncGroup(store.groups.getBySlug('improve-ops-quality')!);
});
afterAll(async () => {
  await wgbot.stop();
  await slack.close();
  await gitlab.close();
});

/** The round summaries in the group's channel (its weekly digest posts there too). */
const summaries = () =>
  slack
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === 'C0WG' && String(c.args.text).startsWith('DevOps self-assessment of'));
/** The backlog issues in g/app (by their label), oldest first. */
function createdIssues() {
  const issues = [];
  for (let iid = 1; iid <= 20; iid += 1) {
    try {
      issues.push(gitlab.getIssue('g/app', iid));
    } catch {
      break;
    }
  }
  return issues.filter((i) => i.labels.includes('devops-assessment'));
}
const dmsTo = (user: string) => slack.callsTo('chat.postMessage').filter((c) => c.args.channel === user);
const textOf = (call: { args: Record<string, unknown> }) =>
  `${call.args.text as string}\n${JSON.stringify(call.args.blocks)}`;

async function slash(text: string, user: string, id: string) {
  const answer = await wgbot.slash(text, { user, channel: 'C0WG', responseUrl: slack.responseUrl(id) });
  expect(answer.status).toBe(200);
  return (await slack.waitForCall('response_url', (c) => c.path.endsWith(`/${id}`), 10_000)).args as {
    text: string;
    blocks?: unknown;
  };
}

/** Scores by area for one member: the same score for both questions of an area, a note on monitoring. */
function formValues(scores: Record<keyof typeof QUESTIONS, number>, note: string | null) {
  const values: Record<string, Record<string, unknown>> = {};
  for (const [area, ids] of Object.entries(QUESTIONS))
    for (const id of ids) {
      const s = String(scores[area as keyof typeof QUESTIONS]);
      values[`score:${id}`] = {
        value: {
          type: 'static_select',
          selected_option: { value: s, text: { type: 'plain_text', text: s } },
        },
      };
      values[`note:${id}`] = { value: { type: 'plain_text_input', value: id === 'alerts' ? note : null } };
    }
  return values;
}

function submit(user: string, roundId: number, values: Record<string, Record<string, unknown>>) {
  return wgbot.interact({
    type: 'view_submission',
    team: { id: 'T0FAKE', domain: 'fake' },
    user: { id: user, username: user.toLowerCase(), team_id: 'T0FAKE' },
    api_app_id: 'A0FAKE',
    token: 'legacy',
    trigger_id: `trig-${user}`,
    view: {
      id: `V${user}`,
      type: 'modal',
      callback_id: 'wg_assessment',
      private_metadata: JSON.stringify({ roundId }),
      state: { values },
    },
  });
}

/** Runs the scheduler every 15 minutes from now until `until`. */
async function tickUntil(until: string) {
  for (let t = clock.now().getTime(); t <= new Date(until).getTime(); t += 15 * MIN) {
    clock.set(new Date(t));
    await wgbot.server.scheduler.tick(new Date(t));
  }
}

describe('a self-assessment round', () => {
  let roundId: number;

  it('is for product owners and facilitators to start; it DMs each member a button that opens the form', async () => {
    const refused = await slash('assess start 2026-11-27', 'U0KENNY', 'kenny-start');
    expect(refused.text).toContain('Only facilitators');

    const started = await slash('assess start 2026-11-27', 'U0JOANNA', 'start');
    expect(started.text).toMatch(/^Round started: 6 members asked by DM/);
    for (const user of Object.keys(MEMBERS)) expect(dmsTo(user)).toHaveLength(1);
    const invite = dmsTo('U0KENNY')[0]!;
    expect(textOf(invite)).toContain('Improve Ops Quality asks you for its DevOps self-assessment');
    const button = (
      invite.args.blocks as { type: string; elements?: { action_id: string; value: string }[] }[]
    ).find((b) => b.type === 'actions')!.elements![0]!;
    expect(button.action_id).toBe('assess_open');
    roundId = Number(button.value);

    await wgbot.interact(
      blockAction('U0KENNY', {
        action_id: 'assess_open',
        block_id: `assess|${roundId}`,
        value: String(roundId),
      }),
    );
    const opened = await slack.waitForCall('views.open');
    const modal = opened.args.view as { callback_id: string; blocks: { block_id?: string }[] };
    expect(modal.callback_id).toBe('wg_assessment');
    expect(modal.blocks.filter((b) => b.block_id?.startsWith('score:'))).toHaveLength(10);
  });

  it('takes the form from five members, and refuses one with a score missing', async () => {
    const incomplete = formValues(
      { 'test-automation': 4, 'ci-cd': 4, environments: 3, monitoring: 2, 'incident-response': 2 },
      null,
    );
    delete incomplete['score:postmortems'];
    const refused = await submit('U0KENNY', roundId, incomplete);
    expect(refused.json).toMatchObject({
      response_action: 'errors',
      errors: { 'score:postmortems': 'Pick a score from 1 to 5.' },
    });

    const scores = [
      { 'test-automation': 4, 'ci-cd': 5, environments: 3, monitoring: 1, 'incident-response': 2 },
      { 'test-automation': 3, 'ci-cd': 4, environments: 3, monitoring: 2, 'incident-response': 3 },
      { 'test-automation': 4, 'ci-cd': 4, environments: 4, monitoring: 2, 'incident-response': 2 },
      { 'test-automation': 5, 'ci-cd': 5, environments: 2, monitoring: 3, 'incident-response': 2 },
      { 'test-automation': 4, 'ci-cd': 3, environments: 3, monitoring: 2, 'incident-response': 3 },
    ];
    for (const [i, user] of ANSWERING.entries()) {
      const answer = await submit(
        user,
        roundId,
        formValues(scores[i]!, i === 0 ? 'Nobody looks at the alerts channel' : null),
      );
      expect(answer.status).toBe(200);
      expect(answer.text).toBe(''); // saved: the form closes
    }
  });

  it('reminds the one who has not answered once, at 09:00 on a working day in her own zone', async () => {
    // Due Friday 17:00 UTC (the group's zone); reminders start 48 hours before, on Wednesday at 17:00 UTC:
    // 18:00 in Berlin, after hours. Darby hears at 09:00 Berlin on Thursday (08:00 UTC), and only then.
    await tickUntil('2026-11-26T07:45:00Z');
    expect(dmsTo('U0DARBY')).toHaveLength(1);
    await tickUntil('2026-11-26T08:00:00Z');
    expect(dmsTo('U0DARBY')).toHaveLength(2);
    expect(textOf(dmsTo('U0DARBY')[1]!)).toContain(
      'A reminder: the *DevOps self-assessment* of *Improve Ops Quality* closes',
    );
    await tickUntil('2026-11-27T16:45:00Z');
    expect(dmsTo('U0DARBY')).toHaveLength(2);
    for (const user of ANSWERING) expect(dmsTo(user)).toHaveLength(1);
  });

  it('closes at the due time and posts aggregates only to the channel', async () => {
    expect(summaries()).toHaveLength(0);
    await tickUntil('2026-11-27T17:00:00Z');
    const posts = summaries();
    expect(posts).toHaveLength(1);
    const text = textOf(posts[0]!);
    expect(text).toContain('5 of 6 members answered.');
    expect(text).toContain('*Test automation*: 4.0 of 5 (first round; spread 2.0 between members)');
    expect(text).toContain('*Monitoring*: 2.0 of 5 (first round; spread 2.0 between members)');
    expect(text).toContain(
      'Lowest-scoring: *Monitoring* (2.0), *Incident response* (2.4), *Environments* (3.0)',
    );
    expect(text).toContain('Gaps (below the threshold): Monitoring, Incident response.');
    // Aggregates only: no one who answered is named, no note is quoted.
    for (const user of Object.keys(MEMBERS)) expect(text).not.toContain(user);
    expect(text).not.toContain('alerts channel');
  });

  it('shows people their own answers, and everyone’s only to facilitators', async () => {
    const mine = await slash('assess mine', 'U0JOANNA', 'mine');
    expect(JSON.stringify(mine.blocks)).toContain('Nobody looks at the alerts channel');
    const kennys = await slash('assess mine', 'U0KENNY', 'kenny-mine');
    expect(JSON.stringify(kennys.blocks)).not.toContain('Nobody looks');
    expect((await slash('assess answers', 'U0KENNY', 'kenny-all')).text).toContain('Only facilitators');
    const all = JSON.stringify((await slash('assess answers', 'U0JOANNA', 'all')).blocks);
    for (const user of ANSWERING) expect(all).toContain(`<@${user}>`);
  });

  it('files one GitLab issue per gap area for a facilitator, saying so when the token cannot write', async () => {
    const press = (user: string, id: string) =>
      wgbot.interact(
        blockAction(
          user,
          { action_id: 'assess_issues', block_id: `assess|${roundId}`, value: String(roundId) },
          {
            response_url: slack.responseUrl(id),
            channel: { id: 'C0WG', name: 'wg_improve-ops-quality' },
          },
        ),
      );
    const answerTo = async (id: string) =>
      (await slack.waitForCall('response_url', (c) => c.path.endsWith(`/${id}`), 10_000)).args as {
        text: string;
      };

    await press('U0KENNY', 'kenny-issues');
    expect((await answerTo('kenny-issues')).text).toContain('Only facilitators');
    gitlab.writes.scopes = ['read_api'];
    await press('U0JOANNA', 'read-only');
    expect((await answerTo('read-only')).text).toContain('needs the `api` scope');
    expect(createdIssues()).toHaveLength(0);

    gitlab.writes.scopes = ['api'];
    await press('U0JOANNA', 'issues');
    expect((await answerTo('issues')).text).toBe('2 backlog issues filed');
    const created = createdIssues();
    expect(created.map((i) => i.title)).toEqual([
      'Monitoring: close the gap found by the DevOps self-assessment',
      'Incident response: close the gap found by the DevOps self-assessment',
    ]);
    expect(created.every((i) => i.labels.includes('devops-assessment'))).toBe(true);
    expect(created[0]!.description).toContain('scored **Monitoring** at 2.0 of 5');
    expect(created[0]!.description).toContain('Nobody looks at the alerts channel');
    for (const issue of created) expect(gitlab.getIssue('g/app', issue.iid).epic_iid).toBe(epicIid);

    await press('U0JOANNA', 'again');
    expect((await answerTo('again')).text).toBe('0 backlog issues filed');
    expect(createdIssues()).toHaveLength(2);
  });

  it('compares the next round with this one, and shows no figures for a round of fewer than three answers', async () => {
    const second = await slash('assess start 2026-12-04', 'U0JOANNA', 'second');
    expect(second.text).toMatch(/^Round started/);
    const next = Number(
      (dmsTo('U0KENNY').at(-1)!.args.blocks as { elements?: { value: string }[] }[])[1]!.elements![0]!.value,
    );
    const better = {
      'test-automation': 4,
      'ci-cd': 4,
      environments: 3,
      monitoring: 3,
      'incident-response': 3,
    };
    for (const user of ['U0JOANNA', 'U0KENNY', 'U0SAM']) await submit(user, next, formValues(better, null));
    expect((await slash('assess close', 'U0JOANNA', 'close-2')).text).toContain('Round closed: 3 answers');
    const summary = textOf(summaries().at(-1)!);
    expect(summary).toContain(
      '*Monitoring*: 3.0 of 5 (+1.0 since the last round; spread 0.0 between members)',
    );

    await slash('assess start 2026-12-11', 'U0JOANNA', 'third');
    const third = Number(
      (dmsTo('U0KENNY').at(-1)!.args.blocks as { elements?: { value: string }[] }[])[1]!.elements![0]!.value,
    );
    for (const user of ['U0JOANNA', 'U0KENNY']) await submit(user, third, formValues(better, null));
    await slash('assess close', 'U0JOANNA', 'close-3');
    const few = textOf(summaries().at(-1)!);
    expect(few).toContain('2 of 6 members answered. With fewer than 3 answers wgbot shows no figures');
    expect(few).not.toContain('of 5');

    // The round after a hidden one is not compared with it: the change would give away those two people's scores.
    await slash('assess start 2026-12-18', 'U0JOANNA', 'fourth');
    const fourth = Number(
      (dmsTo('U0KENNY').at(-1)!.args.blocks as { elements?: { value: string }[] }[])[1]!.elements![0]!.value,
    );
    for (const user of ['U0JOANNA', 'U0KENNY', 'U0SAM']) await submit(user, fourth, formValues(better, null));
    await slash('assess close', 'U0JOANNA', 'close-4');
    const after = textOf(summaries().at(-1)!);
    expect(after).toContain('*Monitoring*: 3.0 of 5');
    expect(after).not.toContain('since the last round');
  });
});
