import { ManualClock } from '../../src/clock.js';
import { ImportService } from '../../src/services/importService.js';
import { LinkService } from '../../src/services/linkService.js';
import { FakeGitlab } from '../fakes/gitlab.js';
import { FakeSlack } from '../fakes/slack.js';
import { handbookSeed } from './seeds.js';
import { startWgbot, type Wgbot } from './wgbot.js';

/**
 * Six weeks of a working group, shared by the simulation test (what reached Slack) and the bench (how
 * long it took): the clock moves an hour at a time, the scheduler's jobs run as cron would run them, and
 * GitLab changes under the group (items close, slip, get snoozed).
 */
export const SIX_WEEKS_START = new Date('2026-11-02T00:00:00Z'); // Monday
const HOUR = 3_600_000;

export const SIX_WEEKS_ZONES: Record<string, string> = {
  U0THOR: 'Europe/Oslo',
  U0WALD: 'America/New_York',
  U0JOANNA: 'America/Los_Angeles',
};

export interface SixWeeks {
  clock: ManualClock;
  slack: FakeSlack;
  gitlab: FakeGitlab;
  wgbot: Wgbot;
  /** Plays the six weeks, hour by hour. */
  play(): Promise<void>;
  close(): Promise<void>;
}

/** The fakes, a running wgbot, the seed group linked to its epic and a digest schedule set from Slack. */
export async function startSixWeeks(): Promise<SixWeeks> {
  const START = SIX_WEEKS_START;
  const clock = new ManualClock(START);
  const slack = await FakeSlack.start({ clock: () => clock.now().getTime() });
  const TZ = SIX_WEEKS_ZONES;
  slack.addUser({ id: 'U0THOR', name: 'thor', realName: 'Thor', tz: TZ.U0THOR });
  slack.addUser({ id: 'U0WALD', name: 'waldemar', realName: 'Waldemar', tz: TZ.U0WALD });
  slack.addUser({ id: 'U0JOANNA', name: 'joanna', realName: 'Joanna Shih', tz: TZ.U0JOANNA });
  slack.addChannel({ id: 'C0WG', name: 'wg_improve-ops-quality' });

  const gitlab = await FakeGitlab.start({ now: () => clock.now() });
  gitlab.addGroup('g');
  gitlab.addProject('g/app');
  const sprints = [20, 21, 22, 23].map((n, i) =>
    gitlab.addIteration('g', {
      title: `Sprint ${n}`,
      sequence: n,
      start_date: new Date(START.getTime() + i * 14 * 24 * HOUR).toISOString().slice(0, 10),
      due_date: new Date(START.getTime() + (i * 14 + 13) * 24 * HOUR).toISOString().slice(0, 10),
    }),
  );
  const epic = gitlab.addEpic('g', { title: 'Improve Ops Quality', due_date: '2026-12-18' });
  const issue: Record<string, number> = {};
  const user = (username: string, name: string) => gitlab.user(username, name);
  const add = (key: string, fields: Record<string, unknown>) => {
    issue[key] = gitlab.addIssue('g/app', {
      epic: { groupPath: 'g', iid: epic.iid },
      ...fields,
    } as never).iid;
  };
  add('workshop', {
    title: 'Workshop with Roland',
    assignees: [user('thor', 'Thor')],
    iteration: sprints[0],
  });
  add('assessment', {
    title: 'SRE DevOps assessment',
    assignees: [user('thor', 'Thor')],
    iteration: sprints[0],
  });
  add('dod', { title: 'Update DoD', assignees: [user('waldemar', 'Waldemar')], iteration: sprints[1] });
  add('integration', {
    title: 'Integration tests in stories',
    assignees: [user('waldemar', 'Waldemar')],
    iteration: sprints[2],
  });
  add('ghost', {
    title: 'Runbook for staging',
    assignees: [user('ghost', 'Gus Host')],
    due_date: '2026-11-10',
  });
  add('metrics', {
    title: 'Track key metrics',
    assignees: [user('thor', 'Thor')],
    iteration: sprints[1],
    weight: 3,
  });

  const wgbot = await startWgbot({
    clock,
    slack,
    gitlabUrl: gitlab.url,
    gitlabToken: gitlab.token,
    env: { SYNC_INTERVAL_MINUTES: '120' },
    syncQueue: { debounceMs: 0, maxWaitMs: 0 },
  });
  const store = wgbot.server.store;
  new ImportService(store, () => clock.now()).importText(handbookSeed(), { channel: 'C0WG' });
  const epicUrl = `${gitlab.url}/groups/g/-/epics/${epic.iid}`;
  new LinkService(store, gitlab.url, () => clock.now()).link('improve-ops-quality', epicUrl);
  new LinkService(store, gitlab.url, () => clock.now()).link('improve-ops-quality', epicUrl, '2');
  // The page's criterion 2 gets its figure from GitLab from now on.
  const group = store.groups.getBySlug('improve-ops-quality')!;
  store.transaction(() => {
    const tree = store.criteria.of(group.id);
    tree[1]!.handbookPercent = null;
    store.criteria.save(group.id, 'exit', tree);
  });
  // The facilitator sets the schedule from Slack, which also links her Slack user to the page's name.
  const answer = await wgbot.slash('schedule "MON 09:00"', {
    user: 'U0JOANNA',
    responseUrl: slack.responseUrl('schedule'),
  });
  if (answer.status !== 200) throw new Error(`/wg schedule answered ${answer.status}`);
  await slack.waitForCall('response_url', (c) => c.path.endsWith('/schedule'));

  const events: Record<string, () => Promise<void> | void> = {
    // Week 1, Thursday: the workshop happens.
    '2026-11-05T15:00': () => void gitlab.updateIssue('g/app', issue.workshop!, { state: 'closed' }),
    // Week 3, Monday: the assessment slips to sprint 21 — before the digest.
    '2026-11-16T10:00': () =>
      void gitlab.updateIssue('g/app', issue.assessment!, { iteration: sprints[1] } as never),
    // Week 3, Tuesday: Thor snoozes the overdue assessment from his App Home.
    '2026-11-17T12:00': async () => {
      const item = store.items.listByWg(group.id).find((i) => i.title === 'SRE DevOps assessment')!;
      await wgbot.interact(homeButton('U0THOR', 'item_snooze', item.id));
    },
    // Week 4: the DoD is done late.
    '2026-12-02T16:00': () => void gitlab.updateIssue('g/app', issue.dod!, { state: 'closed' }),
  };

  return {
    clock,
    slack,
    gitlab,
    wgbot,
    async play() {
      for (let t = START.getTime(); t < START.getTime() + 42 * 24 * HOUR; t += HOUR) {
        clock.set(new Date(t));
        await events[new Date(t).toISOString().slice(0, 16)]?.();
        await wgbot.server.scheduler.tick(new Date(t));
        await wgbot.server.syncQueue.idle();
      }
    },
    async close() {
      await wgbot.stop();
      await slack.close();
      await gitlab.close();
    },
  };
}

/** A click on an item's button in the App Home, as Slack sends it. */
function homeButton(user: string, actionId: string, itemId: number) {
  return {
    type: 'block_actions',
    user: { id: user, username: user, team_id: 'T0FAKE' },
    api_app_id: 'A0FAKE',
    token: 'legacy',
    trigger_id: 'trigger',
    team: { id: 'T0FAKE', domain: 'fake' },
    view: { id: 'VHOME', type: 'home' },
    actions: [
      {
        type: 'button',
        action_id: actionId,
        block_id: `item|${itemId}|home`,
        value: String(itemId),
        action_ts: '1',
      },
    ],
  };
}
