import { ManualClock } from '../../src/clock.js';
import { ImportService } from '../../src/services/importService.js';
import { FakeSlack } from '../fakes/slack.js';
import { epicSeed, handbookSeed } from './seeds.js';
import { startWgbot, type Wgbot } from './wgbot.js';

export type Block = {
  type: string;
  block_id?: string;
  text?: { text: string };
  elements?: { action_id: string; value?: string }[];
};
export type Message = { response_type?: string; replace_original?: boolean; text: string; blocks?: Block[] };
export const textOf = (m: Message) =>
  (m.blocks ?? []).map((b) => b.text?.text ?? JSON.stringify(b)).join('\n');

export interface Seeded {
  slack: FakeSlack;
  clock: ManualClock;
  wgbot: Wgbot;
  /** The message sent to response_url `id`. */
  later(id: string): Promise<Message>;
  stop(): Promise<void>;
}

/**
 * The real server against the fakes, with the seed group imported: Joanna facilitates Improve Ops Quality
 * (channel C0WG), Thor owns its sprint-20 items, Kenny is a member, Ada has no role, Boss is an admin;
 * Ada and Kenny are in WGBOT_CREATORS.
 */
export async function startSeeded(): Promise<Seeded> {
  const clock = new ManualClock('2026-11-23T09:00:00Z');
  const slack = await FakeSlack.start();
  slack.addUser({ id: 'U0ADA', name: 'ada', realName: 'Ada Lovelace', tz: 'Europe/Berlin' });
  slack.addUser({ id: 'U0JOANNA', name: 'joanna', realName: 'Joanna Shih', tz: 'America/Los_Angeles' });
  slack.addUser({ id: 'U0THOR', name: 'thor', realName: 'Thor', tz: 'Europe/Oslo' });
  slack.addUser({ id: 'U0KENNY', name: 'kenny', realName: 'Kenny Johnston', tz: 'UTC' });
  slack.addUser({ id: 'U0BOSS', name: 'boss', realName: 'Big Boss', isAdmin: true });
  slack.addChannel({ id: 'C0WG', name: 'wg_improve-ops-quality' });
  slack.addChannel({ id: 'C0OTHER', name: 'random' });
  // Ada and Kenny may create groups: they are in the Slack user group WGBOT_CREATORS names.
  slack.addUserGroup({ id: 'S0CREATORS', handle: 'wg-creators', users: ['U0ADA', 'U0KENNY'] });
  const wgbot = await startWgbot({ clock, slack, env: { WGBOT_CREATORS: 'wg-creators' } });
  const importer = new ImportService(wgbot.server.store, () => clock.now());
  importer.importText(handbookSeed());
  importer.importText(epicSeed(), { slug: 'improve-ops-quality' });
  return {
    slack,
    clock,
    wgbot,
    later: async (id) =>
      (await slack.waitForCall('response_url', (c) => c.path.endsWith(`/${id}`))).args as Message,
    async stop() {
      await wgbot.stop();
      await slack.close();
    },
  };
}

/** A `block_actions` payload as Slack sends it when `user` clicks `actionId` in block `blockId`. */
export function blockAction(
  user: string,
  action: Record<string, unknown> & { action_id: string; block_id: string },
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    type: 'block_actions',
    user: { id: user, username: user.toLowerCase(), team_id: 'T0FAKE' },
    api_app_id: 'A0FAKE',
    token: 'legacy',
    trigger_id: `trigger-${action.action_id}`,
    team: { id: 'T0FAKE', domain: 'fake' },
    actions: [{ type: 'button', action_ts: '1', ...action }],
    ...extra,
  };
}
