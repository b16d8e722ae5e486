import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { ImportService } from '../../src/services/importService.js';
import { LifecycleService } from '../../src/services/lifecycle.js';
import { LinkService } from '../../src/services/linkService.js';
import { FakeSlack } from '../fakes/slack.js';
import { epicSeed, handbookSeed, sprintsFromNov16 } from '../helpers/seeds.js';
import { startWgbot, type Wgbot } from '../helpers/wgbot.js';

let slack: FakeSlack;
let clock: ManualClock;
let wgbot: Wgbot;

const MINUTE = 60_000;

/** Three copies of the seed group, each with Thor's two overdue sprint-20 items: active, paused, ended. */
beforeEach(async () => {
  clock = new ManualClock('2026-11-23T08:59:00Z'); // a Monday; 09:59 for Thor in Oslo
  slack = await FakeSlack.start({ clock: () => clock.now().getTime() });
  slack.addUser({ id: 'U0ADA', name: 'ada', realName: 'Ada Lovelace', tz: 'Europe/Berlin' });
  slack.addUser({ id: 'U0JOANNA', name: 'joanna', realName: 'Joanna Shih', tz: 'Europe/London' });
  slack.addUser({ id: 'U0THOR', name: 'thor', realName: 'Thor', tz: 'Europe/Oslo' });
  slack.addUser({ id: 'U0BOSS', name: 'boss', realName: 'Big Boss', isAdmin: true });
  for (const [id, name] of [
    ['C0WG', 'wg_improve-ops-quality'],
    ['C0PAUSED', 'wg_paused'],
    ['C0ENDED', 'wg_ended'],
  ] as const)
    slack.addChannel({ id, name });
  wgbot = await startWgbot({ clock, slack });
  const store = wgbot.server.store;
  const importer = new ImportService(store, () => clock.now());
  for (const [slug, name, channel] of [
    ['improve-ops-quality', 'Improve Ops Quality', 'C0WG'],
    ['paused-ops', 'Paused Ops', 'C0PAUSED'],
    ['ended-ops', 'Ended Ops', 'C0ENDED'],
  ] as const) {
    importer.importText(handbookSeed(), { slug, name, channel });
    importer.importText(epicSeed(), { slug });
    sprintsFromNov16(store, clock.now(), slug);
    const group = store.groups.getBySlug(slug)!;
    store.transaction(() =>
      store.groups.update(group.id, { name, digestCron: '0 9 * * 1', digestTimezone: 'UTC' }, clock.now()),
    );
  }
  const paused = store.groups.getBySlug('paused-ops')!;
  store.transaction(() =>
    store.groups.update(
      paused.id,
      { name: paused.name, lifecycle: 'paused', lifecycleSource: 'page' },
      clock.now(),
    ),
  );
  new LifecycleService(store, () => clock.now()).archive(store.groups.getBySlug('ended-ops')!);
});

afterEach(async () => {
  await wgbot.stop();
  await slack.close();
});

type Message = { response_type?: string; text: string; blocks: { text?: { text: string } }[] };
const textOf = (m: Message) => m.blocks.map((b) => b.text?.text ?? JSON.stringify(b)).join('\n');
const later = async (id: string) =>
  (await slack.waitForCall('response_url', (c) => c.path.endsWith(`/${id}`))).args as Message;

async function runScheduler(from: Date, minutes: number): Promise<void> {
  for (let t = from.getTime(); t < from.getTime() + minutes * MINUTE; t += MINUTE) {
    clock.set(new Date(t));
    await wgbot.server.scheduler.tick(new Date(t));
  }
}

describe('paused and ended groups in the scheduler', () => {
  it('post no digest and send no nudge, while the active group gets both', async () => {
    await runScheduler(clock.now(), 20); // 08:59 → 09:18 UTC: the digests at 09:00, nudges at 09:00 and 09:15
    // The one post an ended group gets is its exit report, once (#16).
    const exitReports = slack
      .callsTo('chat.postMessage')
      .filter((c) => String(c.args.text).endsWith('exit report'));
    expect(exitReports.map((c) => [c.args.channel, c.args.text])).toEqual([
      ['C0ENDED', 'Ended Ops reached 100 %: exit report'],
    ]);
    const posts = slack.callsTo('chat.postMessage').filter((c) => !exitReports.includes(c));
    const topLevel = posts.filter((c) => String(c.args.channel).startsWith('C') && !c.args.thread_ts);
    expect(topLevel.map((c) => c.args.channel)).toEqual(['C0WG']);
    const toThor = posts.filter((c) => c.args.channel === 'U0THOR');
    expect(toThor).toHaveLength(1);
    expect(toThor[0]!.args.text).toBe('You have 2 overdue action items');
    const everything = JSON.stringify(posts.map((c) => c.args));
    expect(everything).not.toContain('Paused Ops');
    expect(everything).not.toContain('Ended Ops');
  });

  it('leave ended groups out of periodic syncs; paused ones are still synced', () => {
    const store = wgbot.server.store;
    const links = new LinkService(store, 'https://gitlab.example.com', () => clock.now());
    for (const slug of ['improve-ops-quality', 'paused-ops', 'ended-ops'])
      links.link(slug, 'https://gitlab.example.com/groups/g/-/epics/42');
    const synced = new Set(store.sources.listAll().map((s) => store.groups.getById(s.wgId)!.slug));
    expect([...synced].sort()).toEqual(['improve-ops-quality', 'paused-ops']);
  });

  it('a group made active again gets its next digest', async () => {
    const store = wgbot.server.store;
    new LifecycleService(store, () => clock.now()).unarchive(store.groups.getBySlug('paused-ops')!);
    await runScheduler(clock.now(), 3);
    const topLevel = slack
      .callsTo('chat.postMessage')
      .filter((c) => String(c.args.channel).startsWith('C') && !c.args.thread_ts)
      .filter((c) => !String(c.args.text).endsWith('exit report'));
    expect(topLevel.map((c) => c.args.channel).sort()).toEqual(['C0PAUSED', 'C0WG']);
  });
});

describe('/wg archive and /wg unarchive over signed HTTP', () => {
  it('are for facilitators and admins; an ended group leaves /wg list and gets no digest', async () => {
    const store = wgbot.server.store;
    await wgbot.slash('archive', { user: 'U0ADA', responseUrl: slack.responseUrl('refused') });
    expect(textOf(await later('refused'))).toContain(
      'Only facilitators can end the group of Improve Ops Quality',
    );
    expect(store.groups.getBySlug('improve-ops-quality')!.lifecycle).toBe('active');

    await wgbot.slash('archive', { user: 'U0JOANNA', responseUrl: slack.responseUrl('archive') });
    const archived = await later('archive');
    expect(archived.response_type).toBe('in_channel');
    expect(textOf(archived)).toContain('<@U0JOANNA> ended *Improve Ops Quality* (ended on Nov 23, 2026)');
    expect(store.groups.getBySlug('improve-ops-quality')).toMatchObject({
      lifecycle: 'ended',
      endedOn: '2026-11-23',
    });
    expect(wgbot.server.scheduler.has(`digest:${store.groups.getBySlug('improve-ops-quality')!.id}`)).toBe(
      false,
    );

    const list = textOf((await wgbot.slash('list')).json as Message);
    expect(list).toContain('*Paused Ops* `paused-ops` — :double_vertical_bar: Paused');
    expect(list).not.toContain('improve-ops-quality');
    expect(list).toContain('2 ended groups are not listed');

    const status = textOf((await wgbot.slash('status')).json as Message);
    expect(status).not.toMatch(/past target/);
    const statusJson = JSON.stringify((await wgbot.slash('status')).json);
    expect(statusJson).toContain(':checkered_flag: Ended on Nov 23, 2026');

    await wgbot.slash('digest now', { user: 'U0JOANNA', responseUrl: slack.responseUrl('digest') });
    expect(textOf(await later('digest'))).toContain(
      '*Improve Ops Quality* is ended on Nov 23, 2026: it gets no digests.',
    );
    expect(slack.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0WG')).toHaveLength(0);

    await wgbot.slash('unarchive', { user: 'U0BOSS', responseUrl: slack.responseUrl('unarchive') });
    expect(textOf(await later('unarchive'))).toContain('<@U0BOSS> made *Improve Ops Quality* active again');
    expect(store.groups.getBySlug('improve-ops-quality')).toMatchObject({
      lifecycle: 'active',
      endedOn: null,
    });
  });

  it('says so when there is nothing to change', async () => {
    await wgbot.slash('unarchive', { user: 'U0JOANNA', responseUrl: slack.responseUrl('noop') });
    const reply = await later('noop');
    expect(reply.response_type).toBe('ephemeral');
    expect(textOf(reply)).toContain('*Improve Ops Quality* is already active; nothing changed.');
  });
});
