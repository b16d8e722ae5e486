import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/clock.js';
import { ImportService } from '../../../src/services/importService.js';
import { draftView } from '../../../src/slack/views/digest.js';
import { FakeGitlab } from '../../fakes/gitlab.js';
import { FakeSlack } from '../../fakes/slack.js';
import { type Block, blockAction, type Message, textOf } from '../../helpers/listeners.js';
import { handbookSeed } from '../../helpers/seeds.js';
import { startWgbot, type Wgbot } from '../../helpers/wgbot.js';

const PAGE_PATH = 'content/handbook/engineering/improve-ops-quality.md';

let slack: FakeSlack;
let gitlab: FakeGitlab;
let wgbot: Wgbot;

beforeEach(async () => {
  const clock = new ManualClock('2026-11-23T09:00:00Z');
  slack = await FakeSlack.start();
  slack.addUser({ id: 'U0JOANNA', name: 'joanna', realName: 'Joanna Shih', tz: 'America/Los_Angeles' });
  slack.addUser({ id: 'U0ADA', name: 'ada', realName: 'Ada Lovelace', tz: 'Europe/Berlin' });
  slack.addChannel({ id: 'C0WG', name: 'wg_improve-ops-quality' });
  gitlab = await FakeGitlab.start();
  gitlab.addGroup('acme');
  gitlab.addProject('acme/handbook');
  gitlab.repo.addFile('acme/handbook', PAGE_PATH, handbookSeed());
  wgbot = await startWgbot({
    clock,
    slack,
    gitlabUrl: gitlab.url,
    gitlabToken: gitlab.token,
    env: { HANDBOOK_PROJECT: 'acme/handbook' },
  });
  const { store } = wgbot.server;
  const result = new ImportService(store, () => clock.now()).importText(handbookSeed(), {
    sourceRef: `/home/joanna/handbook/${PAGE_PATH}`,
  });
  // A sync found the first criterion's linked issue only half done (the page says 100 %).
  const first = store.criteria.of(result.group.id)[0]!;
  store.transaction(() => store.criteria.setGitlabPercent(result.group.id, first.id!, 50));
});

afterEach(async () => {
  await wgbot.stop();
  await slack.close();
  await gitlab.close();
});

describe('listeners/actions/writeback', () => {
  it("the digest's button opens the merge request for a facilitator and refuses anyone else", async () => {
    const { store, digests } = wgbot.server;
    const group = store.groups.getBySlug('improve-ops-quality')!;
    const blocks = draftView(await digests.build(group)).main.blocks as Block[];
    const row = blocks.find((b) => b.block_id === 'writeback')!;
    expect(row.elements).toEqual([
      expect.objectContaining({ action_id: 'writeback_open', value: group.slug }),
    ]);
    const press = (user: string, id: string) =>
      wgbot.interact(
        blockAction(
          user,
          { action_id: 'writeback_open', block_id: 'writeback', value: group.slug },
          { channel: { id: 'C0WG', name: 'wg_improve-ops-quality' }, response_url: slack.responseUrl(id) },
        ),
      );
    const later = async (id: string) =>
      (await slack.waitForCall('response_url', (c) => c.path.endsWith(`/${id}`))).args as Message;

    await press('U0ADA', 'ada');
    expect(textOf(await later('ada'))).toContain('update the handbook page of Improve Ops Quality');
    expect(gitlab.repo.mergeRequests).toEqual([]);

    await press('U0JOANNA', 'joanna');
    const said = textOf(await later('joanna'));
    expect(said).toContain('Opened <');
    expect(said).toContain('merge request !1');
    expect(gitlab.repo.mergeRequests).toHaveLength(1);
    const { before, after } = gitlab.repo.commits.at(-1)!.changes[0]!;
    expect(after).toBe(before.replace(/(themes needed[^\n]*`=> )100%`/, '$150%`'));
  });
});
