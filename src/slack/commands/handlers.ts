import type { WebClient } from '@slack/web-api';
import type { WorkingGroup } from '../../domain/types.js';
import { SourceUrlError } from '../../gitlab/urls.js';
import { countGroups, groupPage, LISTED_LIFECYCLES } from '../../services/groupList.js';
import type { GroupService } from '../../services/groups.js';
import type { IdentityService } from '../../services/identity.js';
import { LinkError, type LinkService } from '../../services/linkService.js';
import type { StatusItem, StatusReport, StatusService } from '../../services/status.js';
import type { SyncOutcome } from '../../services/syncService.js';
import type { Store } from '../../store/store.js';
import type { SlackDirectory } from '../directory.js';
import { type Block, context, fitBlocks, LIMITS, lineSections, section } from '../views/blocks.js';
import type { Viewer } from '../views/common.js';
import { createGroupModal } from '../views/createModal.js';
import { helpView, noticeView, refusedView, usageErrorView, whichGroupView } from '../views/feedback.js';
import { itemWithButtons } from '../views/itemBlocks.js';
import { criteriaView, groupListView, itemsView } from '../views/lists.js';
import { esc } from '../views/mrkdwn.js';
import { type MessageView, roleLines, statusView } from '../views/status.js';
import { notActiveView } from '../views/lifecycle.js';
import { changeLifecycle } from './lifecycle.js';
import type { ItemFilter, WgCommand } from './parse.js';

/** Everything the `/wg` handlers use; built once by the composition root. */
export interface CommandServices {
  store: Store;
  now: () => Date;
  status: StatusService;
  groups: GroupService;
  identity: IdentityService;
  directory: SlackDirectory;
  links: LinkService;
  requestSync: (wgId: number) => void;
  /**
   * Syncs a group now and says how it went; present when GitLab is configured. `/wg link` waits for it,
   * keeping a link only if its first sync reaches it.
   */
  syncNow?: (group: WorkingGroup) => Promise<SyncOutcome>;
  /** Digest, nudge and metrics commands, present when the scheduler side is wired. */
  extras?: ExtraCommands;
}

export interface ExtraCommands {
  digest(group: WorkingGroup, mode: 'preview' | 'now', viewer: Viewer): Promise<MessageView>;
  nudge(group: WorkingGroup, byUserId: string): Promise<MessageView>;
  metrics(group: WorkingGroup, viewer: Viewer): Promise<MessageView>;
  scheduleChanged(group: WorkingGroup): void;
}

export interface Invocation {
  userId: string;
  channelId: string;
  channelName: string | null;
  triggerId: string;
  client: WebClient;
}

export interface Reply {
  view: MessageView;
  /** Posted for the whole channel to see (`share`), else only for the person who asked. */
  inChannel: boolean;
}

/** Commands answered straight from SQLite in the acknowledgement itself (milliseconds, no Slack calls). */
export function isFastCommand(command: WgCommand): boolean {
  return (
    ['help', 'status', 'list', 'criteria'].includes(command.name) ||
    (command.name === 'items' && command.filter.kind !== 'mine')
  );
}

const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

function scheduleText(group: WorkingGroup): string {
  if (!group.digestCron) return 'Mondays at 09:00 (the default)';
  if (group.digestCron === 'off') return 'never (turned off)';
  const [minute, hour, , , days] = group.digestCron.split(' ');
  const dayList =
    days === '*'
      ? 'every day'
      : days!
          .split(',')
          .map((d) => DAY_NAMES[Number(d)])
          .join(', ');
  return `${dayList} at ${hour!.padStart(2, '0')}:${minute!.padStart(2, '0')}`;
}

/** Turns a parsed `/wg` command into the reply, through the services; Slack I/O stays in the listener. */
export class CommandHandlers {
  /**
   * Rendered status views by report (while the report is current) and by what the view depends on:
   * audience, reader (only when confidential items make it matter), zone and minute (for "N min ago").
   */
  readonly #rendered = new WeakMap<StatusReport, Map<string, MessageView>>();

  constructor(private readonly s: CommandServices) {}

  #statusView(report: StatusReport, viewer: Viewer): MessageView {
    const reader = report.items.some((i) => i.confidential) ? viewer.slackUserId : '*';
    const key = `${viewer.audience}|${reader}|${viewer.timeZone}|${Math.floor(viewer.now.getTime() / 60_000)}`;
    let views = this.#rendered.get(report);
    if (!views) {
      views = new Map();
      this.#rendered.set(report, views);
    }
    let view = views.get(key);
    if (!view) {
      view = statusView(report, viewer);
      if (views.size > 100) views.clear();
      views.set(key, view);
    }
    return view;
  }

  #viewer(invocation: Invocation, group: WorkingGroup | null, share: boolean): Viewer {
    // A cached zone only: the fast path never waits on users.info (the listener refreshes it afterwards).
    const tz = this.s.directory.cachedTimeZone(invocation.userId) ?? group?.timezone ?? 'UTC';
    return {
      slackUserId: invocation.userId,
      timeZone: tz,
      now: this.s.now(),
      audience: share ? 'channel' : 'private',
    };
  }

  #resolve(slug: string | null, invocation: Invocation): { group: WorkingGroup } | { reply: Reply } {
    const resolved = this.s.groups.resolve(slug, invocation.channelId, invocation.channelName);
    if (resolved.kind === 'found') return { group: resolved.group };
    if (resolved.kind === 'unknown') {
      const list = resolved.known
        .slice(0, 15)
        .map((k) => `\`${k}\``)
        .join(', ');
      return {
        reply: {
          view: usageErrorView(
            `There is no working group \`${resolved.slug}\`.${list ? ` Known: ${list}.` : ''}`,
            resolved.known[0] ? `/wg status ${resolved.known[0]}` : '/wg create',
          ),
          inChannel: false,
        },
      };
    }
    return { reply: { view: whichGroupView(resolved.known), inChannel: false } };
  }

  #report(group: WorkingGroup): StatusReport {
    return this.s.status.report(group);
  }

  async #guard(group: WorkingGroup, invocation: Invocation, what: string): Promise<Reply | null> {
    const { allowed, facilitators } = await this.s.identity.mayConfigure(group, invocation.userId);
    return allowed ? null : { view: refusedView(`${what} of ${group.name}`, facilitators), inChannel: false };
  }

  /** The fast commands: answered in the acknowledgement from SQLite. */
  fast(command: WgCommand, invocation: Invocation): Reply {
    switch (command.name) {
      case 'help':
        return { view: helpView(), inChannel: false };
      case 'list': {
        const page = groupPage(this.s.store, this.s.now(), command.page, LISTED_LIFECYCLES);
        const hidden = countGroups(this.s.store, ['ended']);
        return { view: groupListView(page, hidden), inChannel: command.share };
      }
      case 'status':
      case 'criteria': {
        const found = this.#resolve(command.slug, invocation);
        if ('reply' in found) return found.reply;
        const report = this.#report(found.group);
        const viewer = this.#viewer(invocation, found.group, command.share);
        return {
          view: command.name === 'status' ? this.#statusView(report, viewer) : criteriaView(report, viewer),
          inChannel: command.share,
        };
      }
      case 'items': {
        const found = this.#resolve(command.slug, invocation);
        if ('reply' in found) return found.reply;
        return this.#items(found.group, command.filter, invocation);
      }
      default:
        throw new Error(`not a fast command: ${command.name}`);
    }
  }

  #items(group: WorkingGroup, filter: ItemFilter, invocation: Invocation): Reply {
    const report = this.#report(group);
    const viewer = this.#viewer(invocation, group, false);
    let items: StatusItem[];
    let title: string;
    let empty: string;
    switch (filter.kind) {
      case 'all':
        items = report.items;
        title = 'all action items';
        empty = 'No action items yet. Link the epic with `/wg link <url>`.';
        break;
      case 'overdue':
        items = report.items.filter((i) => i.overdue);
        title = 'overdue items';
        empty = 'Nothing is overdue. :tada:';
        break;
      case 'mine':
        items = report.items.filter((i) => i.ownerSlackUserIds.includes(invocation.userId));
        title = 'your items';
        empty =
          'You own no action items here. (wgbot matches you by your Slack name, GitLab username or `/wg role`.)';
        break;
      case 'sprint': {
        const number = filter.number ?? report.currentSprint?.number ?? null;
        items = report.items.filter(
          (i) => number !== null && i.sprint !== null && new RegExp(`\\b${number}\\b`).test(i.sprint),
        );
        title = number === null ? 'this sprint' : `sprint ${number}`;
        empty =
          number === null
            ? 'No current sprint is known: say which, like `/wg items sprint 21`.'
            : `Nothing planned in sprint ${number}.`;
        break;
      }
    }
    const view = itemsView(report, title, items, viewer, empty);
    // Open items the reader owns or may act on get buttons (the first twenty; Slack allows 50 blocks).
    const actionable = items.filter((i) => i.state === 'open').slice(0, 20);
    if (filter.kind === 'mine' || filter.kind === 'overdue') {
      const blocks: Block[] = [
        view.blocks[0]!,
        ...actionable.flatMap((i) =>
          itemWithButtons(i, viewer, { view: 'items', slug: group.slug, filter: filter.kind }),
        ),
      ];
      const rest = items.length - actionable.length;
      if (rest > 0) blocks.push(context(`…and ${rest} more (done or further down the list)`));
      if (items.length === 0) blocks.push(section(empty));
      return {
        view: { text: view.text, blocks: fitBlocks(blocks, LIMITS.messageBlocks, () => context('…')) },
        inChannel: false,
      };
    }
    return { view, inChannel: false };
  }

  /** The commands that talk to Slack or GitLab, check permissions or change things: after the ack. */
  /** `/wg link <url>`: with GitLab configured, kept only if its first sync reaches it. */
  async #link(group: WorkingGroup, url: string, criterion: string | null): Promise<Reply> {
    const target = (c: { path: string; title: string } | null) =>
      c ? `exit criterion ${c.path} (${esc(c.title)})` : esc(group.name);
    if (!this.s.syncNow) {
      const result = this.s.links.link(group.slug, url, criterion);
      this.s.requestSync(group.id);
      return {
        view: noticeView(
          ':link:',
          `${result.created ? 'Linked' : 'Already linked'}: ${target(result.criterion)} ← ${esc(this.s.links.describe(result.source.ref))}.`,
          'A sync is queued; `/wg status` shows the figures in a moment.',
        ),
        inChannel: false,
      };
    }
    const checked = await this.s.links.linkAndSync(group.slug, url, criterion, this.s.syncNow);
    const what = esc(this.s.links.describe(checked.source.ref));
    const problem = checked.fetch?.error ?? (checked.sync.status === 'failed' ? checked.sync.error : null);
    if (!checked.kept)
      return {
        view: noticeView(
          ':warning:',
          `Not linked: GitLab could not be reached for ${what}: ${esc((problem ?? 'the sync did not reach it').slice(0, 500))}`,
          'Check the URL and that wgbot’s GitLab token can see it, then try again.',
        ),
        inChannel: false,
      };
    return {
      view: noticeView(
        problem ? ':warning:' : ':link:',
        `${checked.created ? 'Linked' : 'Already linked'}: ${target(checked.criterion)} ← ${what}.`,
        problem
          ? `Its sync failed: ${esc(problem.slice(0, 500))}`
          : checked.sync.status === 'busy'
            ? 'Another wgbot process is syncing this group; `/wg status` shows the figures once it is done.'
            : 'Synced: `/wg status` shows the figures.',
      ),
      inChannel: false,
    };
  }

  async slow(command: WgCommand, invocation: Invocation): Promise<Reply | null> {
    switch (command.name) {
      case 'items': {
        await this.s.identity.personFor(invocation.userId);
        const found = this.#resolve(command.slug, invocation);
        if ('reply' in found) return found.reply;
        return this.#items(found.group, command.filter, invocation);
      }
      case 'sync': {
        const found = this.#resolve(command.slug, invocation);
        if ('reply' in found) return found.reply;
        const sources = this.s.store.sources.listByWg(found.group.id);
        if (sources.length === 0) {
          return {
            view: noticeView(
              ':link:',
              `${esc(found.group.name)} is not linked to GitLab yet.`,
              'A facilitator can link its epic: `/wg link <epic-url>`',
            ),
            inChannel: false,
          };
        }
        this.s.requestSync(found.group.id);
        return {
          view: noticeView(
            ':arrows_counterclockwise:',
            `Sync of *${esc(found.group.name)}* queued.`,
            '`/wg status` shows the result in a moment.',
          ),
          inChannel: false,
        };
      }
      case 'link': {
        const found = this.#resolve(null, invocation);
        if ('reply' in found) return found.reply;
        const refused = await this.#guard(found.group, invocation, 'change the GitLab links');
        if (refused) return refused;
        try {
          if (command.remove) {
            this.s.links.unlink(found.group.slug, command.url);
            return { view: noticeView(':scissors:', `Unlinked ${esc(command.url)}.`), inChannel: false };
          }
          return await this.#link(found.group, command.url, command.criterion);
        } catch (error) {
          if (error instanceof SourceUrlError || error instanceof LinkError) {
            return {
              view: usageErrorView(error.message, '/wg link https://gitlab.com/groups/acme/-/epics/42'),
              inChannel: false,
            };
          }
          throw error;
        }
      }
      case 'create': {
        // The current channel is offered unless it is already some group's home.
        const free = !this.s.store.groups.getByChannelId(invocation.channelId);
        await invocation.client.views.open({
          trigger_id: invocation.triggerId,
          view: createGroupModal({
            channelId: free ? invocation.channelId : null,
            userId: invocation.userId,
          }),
        });
        return null;
      }
      case 'bind': {
        const resolved = this.s.groups.resolve(command.slug, null, null);
        if (resolved.kind !== 'found') {
          const missing = this.#resolve(command.slug, invocation);
          return 'reply' in missing ? missing.reply : null;
        }
        const refused = await this.#guard(resolved.group, invocation, 'move the channel');
        if (refused) return refused;
        // Taking the channel from the group that lives here is its facilitators' call too.
        const home = this.s.store.groups.getByChannelId(invocation.channelId);
        if (home && home.id !== resolved.group.id) {
          const refusedHere = await this.#guard(home, invocation, 'give this channel to another group');
          if (refusedHere) return refusedHere;
        }
        const channel = await this.s.directory.channel(invocation.channelId).catch(() => null);
        const group = this.s.groups.bind(
          resolved.group,
          invocation.channelId,
          channel?.name ?? invocation.channelName,
        );
        return {
          view: noticeView(
            ':house:',
            `This channel is now the home of *${esc(group.name)}*: \`/wg\` here means it, and its digest is posted here.`,
          ),
          inChannel: true,
        };
      }
      case 'role': {
        const found = this.#resolve(null, invocation);
        if ('reply' in found) return found.reply;
        if (command.action === 'list') {
          const { roles } = this.#report(found.group);
          const title = `*Roles in ${esc(found.group.name)}*`;
          return {
            view: {
              text: `Roles in ${esc(found.group.name)}`,
              blocks:
                roles.length > 0
                  ? lineSections(title, roleLines(roles), 200, (n) => `…and ${n} more`).slice(0, 50)
                  : [section(`${title}\n_Nobody has a role yet: \`/wg role add @user facilitator\`._`)],
            },
            inChannel: false,
          };
        }
        const refused = await this.#guard(found.group, invocation, 'change roles');
        if (refused) return refused;
        const person = await this.s.identity.personFor(command.userId);
        if (command.action === 'add') {
          const { created, role } = this.s.groups.addRole(found.group, person.id, command.role!);
          return {
            view: noticeView(
              ':busts_in_silhouette:',
              `${created ? 'Added' : 'Already there:'} <@${command.userId}> as *${esc(role)}* of ${esc(found.group.name)}.`,
            ),
            inChannel: false,
          };
        }
        const removed = this.s.groups.removeRole(found.group, person.id, command.role);
        return {
          view: noticeView(
            ':busts_in_silhouette:',
            removed > 0
              ? `Removed ${removed === 1 ? 'the role' : `${removed} roles`} of <@${command.userId}> in ${esc(found.group.name)}.`
              : `<@${command.userId}> has no ${command.role ? `*${esc(command.role)}* ` : ''}role in ${esc(found.group.name)}.`,
          ),
          inChannel: false,
        };
      }
      case 'schedule': {
        const found = this.#resolve(null, invocation);
        if ('reply' in found) return found.reply;
        if (command.action === 'show') {
          const tz = found.group.digestTimezone ?? found.group.timezone;
          return {
            view: noticeView(
              ':calendar:',
              `The digest of *${esc(found.group.name)}* is posted ${scheduleText(found.group)} (${esc(tz)}).`,
            ),
            inChannel: false,
          };
        }
        const refused = await this.#guard(found.group, invocation, 'change the digest schedule');
        if (refused) return refused;
        if (command.action === 'off') {
          const group = this.s.groups.setSchedule(found.group, 'off', null);
          this.s.extras?.scheduleChanged(group);
          return {
            view: noticeView(
              ':no_bell:',
              `No more weekly digests for *${esc(group.name)}* until a new \`/wg schedule\`.`,
            ),
            inChannel: false,
          };
        }
        const timeZone =
          command.timeZone ?? (await this.s.identity.timeZoneOf(invocation.userId, found.group.timezone));
        const cron = `${command.minute} ${command.hour} * * ${command.days.join(',')}`;
        const group = this.s.groups.setSchedule(found.group, cron, timeZone);
        this.s.extras?.scheduleChanged(group);
        return {
          view: noticeView(
            ':calendar:',
            `The digest of *${esc(group.name)}* will be posted ${scheduleText(group)} (${esc(timeZone)}).`,
          ),
          inChannel: false,
        };
      }
      case 'digest':
      case 'nudge':
      case 'metrics': {
        const found = this.#resolve(command.slug, invocation);
        if ('reply' in found) return found.reply;
        const extras = this.s.extras;
        if (!extras)
          return {
            view: noticeView(':hourglass:', 'Digests and nudges are not running on this wgbot.'),
            inChannel: false,
          };
        const viewer = this.#viewer(invocation, found.group, false);
        if (command.name === 'metrics')
          return { view: await extras.metrics(found.group, viewer), inChannel: false };
        if (command.name === 'digest' && command.mode === 'preview') {
          return { view: await extras.digest(found.group, 'preview', viewer), inChannel: false };
        }
        const refused = await this.#guard(
          found.group,
          invocation,
          command.name === 'nudge' ? 'send nudges' : 'post the digest',
        );
        if (refused) return refused;
        if (found.group.lifecycle !== 'active')
          return {
            view: notActiveView(found.group, command.name === 'nudge' ? 'nudges' : 'digests'),
            inChannel: false,
          };
        if (command.name === 'nudge')
          return { view: await extras.nudge(found.group, invocation.userId), inChannel: false };
        return { view: await extras.digest(found.group, 'now', viewer), inChannel: false };
      }
      case 'archive':
      case 'unarchive': {
        const found = this.#resolve(command.slug, invocation);
        if ('reply' in found) return found.reply;
        const refused = await this.#guard(
          found.group,
          invocation,
          command.name === 'archive' ? 'end the group' : 'make the group active again',
        );
        if (refused) return refused;
        const { view, changed, group } = changeLifecycle(
          command.name,
          found.group,
          this.s,
          invocation.userId,
        );
        if (changed) this.s.extras?.scheduleChanged(group);
        // Everyone in the channel stops (or starts again) getting its digests: they see why.
        return { view, inChannel: changed };
      }
      default:
        return this.fast(command, invocation);
    }
  }
}
