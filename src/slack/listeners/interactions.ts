import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  ButtonAction,
  DatepickerAction,
  SlackActionMiddlewareArgs,
} from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { localDate } from '../../domain/dates.js';
import { parseSourceUrl } from '../../gitlab/urls.js';
import type { Logger } from '../../logger.js';
import type { GroupService } from '../../services/groups.js';
import { homeData } from '../../services/home.js';
import type { IdentityService } from '../../services/identity.js';
import type { DoneResult, ItemActionService } from '../../services/itemActions.js';
import type { LinkService } from '../../services/linkService.js';
import type { StatusService } from '../../services/status.js';
import type { Store } from '../../store/store.js';
import type { CommandHandlers } from '../commands/handlers.js';
import type { SlackDirectory } from '../directory.js';
import { ACTIONS, decodeContext, VIEWS } from '../views/actionIds.js';
import { section } from '../views/blocks.js';
import type { Viewer } from '../views/common.js';
import { CREATE_FIELDS } from '../views/createModal.js';
import { refusedView } from '../views/feedback.js';
import { homeView, statusModal } from '../views/home.js';
import { esc, link } from '../views/mrkdwn.js';

export interface InteractionDeps {
  store: Store;
  now: () => Date;
  items: ItemActionService;
  identity: IdentityService;
  directory: SlackDirectory;
  status: StatusService;
  groups: GroupService;
  links: LinkService;
  handlers: CommandHandlers;
  requestSync: (wgId: number) => void;
  logger: Logger;
  gitlabUrl: string;
  /** Re-renders a nudge DM after a click (the digest/nudge side provides it). */
  refreshNudge?: (client: WebClient, userId: string, channelId: string, ts: string) => Promise<void>;
}

function outcomeText(result: DoneResult): string | null {
  switch (result.kind) {
    case 'done':
      return null;
    case 'already':
      return null;
    case 'gone':
      return 'That item is no longer in GitLab or on the page.';
    case 'read-only':
    case 'failed':
      return `Could not mark *${esc(result.item.title)}* done: ${esc(result.reason)}. ${link(result.item.url, 'Open it in GitLab')}`;
  }
}

async function viewerFor(deps: InteractionDeps, userId: string): Promise<Viewer> {
  return {
    slackUserId: userId,
    timeZone: await deps.identity.timeZoneOf(userId),
    now: deps.now(),
    audience: 'private',
  };
}

export async function publishHome(
  deps: InteractionDeps,
  client: WebClient,
  userId: string,
  notice: string | null = null,
): Promise<void> {
  const person = await deps.identity.personFor(userId);
  const data = homeData(deps.store, person, deps.now());
  const view = homeView(data.items, data.groups, await viewerFor(deps, userId));
  if (notice) view.blocks = [section(notice), ...view.blocks].slice(0, 100);
  await client.views.publish({ user_id: userId, view });
}

/** Buttons (Mark done, Snooze, Open, Open status), the App Home, and the create form. */
export function registerInteractions(app: App, deps: InteractionDeps): void {
  const rerender = async (
    body: BlockAction,
    client: WebClient,
    respond: (m: object) => Promise<unknown>,
    notice: string | null,
  ) => {
    const decoded = decodeContext(body.actions[0]?.block_id);
    const userId = body.user.id;
    if (!decoded || decoded.ctx.view === 'home' || body.view?.type === 'home') {
      await publishHome(deps, client, userId, notice);
      return;
    }
    if (decoded.ctx.view === 'nudge' && deps.refreshNudge && body.channel?.id && body.message?.ts) {
      await deps.refreshNudge(client, userId, body.channel.id, body.message.ts);
      if (notice) await respond({ response_type: 'ephemeral', replace_original: false, text: notice });
      return;
    }
    if (decoded.ctx.view === 'items') {
      const reply = deps.handlers.fast(
        { name: 'items', filter: { kind: decoded.ctx.filter as 'overdue' | 'mine' }, slug: decoded.ctx.slug },
        { userId, channelId: body.channel?.id ?? '', channelName: null, triggerId: body.trigger_id, client },
      );
      await respond({ replace_original: true, text: reply.view.text, blocks: reply.view.blocks });
    }
    if (notice) await respond({ response_type: 'ephemeral', replace_original: false, text: notice });
  };

  /** Owners and facilitators may act on an item; anyone else is told who can, and nothing changes. */
  const refusal = async (itemId: number, userId: string, what: string): Promise<object | null> => {
    const item = deps.store.items.getById(itemId);
    if (!item) return null; // the action itself says it is gone
    const verdict = await deps.identity.mayActOn(item, userId).catch((error: Error) => {
      deps.logger.warn({ err: error.message }, 'could not check who may act on an item');
      return null;
    });
    if (verdict === null) {
      return {
        response_type: 'ephemeral',
        replace_original: false,
        text: 'Slack did not answer while wgbot checked who you are; nothing changed. Please try again.',
      };
    }
    if (verdict.allowed) return null;
    const view = refusedView(what, verdict.facilitators, verdict.owners);
    return { response_type: 'ephemeral', replace_original: false, text: view.text, blocks: view.blocks };
  };

  app.action<BlockAction<ButtonAction>>(ACTIONS.itemDone, async ({ ack, body, action, client, respond }) => {
    await ack();
    const refused = await refusal(Number(action.value), body.user.id, 'mark this item done');
    if (refused) {
      await respond(refused);
      return;
    }
    const result = await deps.items.markDone(Number(action.value));
    await rerender(body, client, respond, outcomeText(result));
  });

  app.action<BlockAction<ButtonAction>>(
    ACTIONS.itemSnooze,
    async ({ ack, body, action, client, respond }) => {
      await ack();
      const refused = await refusal(Number(action.value), body.user.id, 'snooze this item');
      if (refused) {
        await respond(refused);
        return;
      }
      const snoozed = deps.items.snooze(Number(action.value), 2);
      await rerender(
        body,
        client,
        respond,
        snoozed ? null : 'That item is no longer in GitLab or on the page.',
      );
    },
  );

  app.action<BlockAction<DatepickerAction>>(
    ACTIONS.itemDueDate,
    async ({ ack, body, action, client, respond }) => {
      await ack();
      const decoded = decodeContext(action.block_id);
      if (!decoded || !action.selected_date) return;
      const refused = await refusal(decoded.itemId, body.user.id, 'change the due date of this item');
      if (refused) {
        await respond(refused);
        return;
      }
      const result = await deps.items.setDueDate(decoded.itemId, action.selected_date);
      await rerender(
        body,
        client,
        respond,
        result ? null : 'That item is no longer in GitLab or on the page.',
      );
    },
  );

  // `/wg list` pages: the message turns to the asked-for page in place.
  const turnListPage = async ({
    ack,
    body,
    action,
    client,
    respond,
  }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs) => {
    await ack();
    const page = /^\d{1,6}$/.test(action.value ?? '') ? Number(action.value) : 1;
    const reply = deps.handlers.fast(
      { name: 'list', page, share: false },
      {
        userId: body.user.id,
        channelId: body.channel?.id ?? '',
        channelName: null,
        triggerId: body.trigger_id,
        client,
      },
    );
    await respond({ replace_original: true, text: reply.view.text, blocks: reply.view.blocks });
  };
  app.action<BlockAction<ButtonAction>>(ACTIONS.listPrevious, turnListPage);
  app.action<BlockAction<ButtonAction>>(ACTIONS.listNext, turnListPage);

  // A link button still sends an action; acknowledging it is all there is to do.
  app.action(ACTIONS.itemOpen, async ({ ack }) => {
    await ack();
  });

  app.action<BlockAction<ButtonAction>>(ACTIONS.openStatus, async ({ ack, body, action, client }) => {
    await ack();
    const group = deps.store.groups.getBySlug(action.value ?? '');
    if (!group) {
      // The Home tab was drawn before the group went away: redraw it, saying why nothing opened.
      await publishHome(deps, client, body.user.id, ':ghost: That working group has been removed.');
      return;
    }
    const report = deps.status.status(group.slug);
    await client.views.open({
      trigger_id: body.trigger_id,
      view: statusModal(report, await viewerFor(deps, body.user.id)),
    });
  });

  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    await publishHome(deps, client, event.user);
  });

  app.view(VIEWS.createGroup, async ({ ack, view, body, client }) => {
    const values = view.state.values;
    const value = (id: string) => values[id]?.[id];
    const name = value(CREATE_FIELDS.name)?.value?.trim() ?? '';
    const channelId = value(CREATE_FIELDS.channel)?.selected_conversation ?? null;
    const target = value(CREATE_FIELDS.target)?.selected_date ?? null;
    const epicUrl = value(CREATE_FIELDS.epic)?.value?.trim() || null;
    const facilitator = value(CREATE_FIELDS.facilitator)?.selected_user ?? body.user.id;
    const errors: Record<string, string> = {};
    if (!name) errors[CREATE_FIELDS.name] = 'Give the working group a name.';
    if (epicUrl) {
      try {
        parseSourceUrl(epicUrl, deps.gitlabUrl);
      } catch (error) {
        errors[CREATE_FIELDS.epic] = (error as Error).message.split('. wgbot accepts')[0]!.slice(0, 150);
      }
    }
    // Validation must answer within Slack's 3 s: the zone and the rights come from what is cached.
    const today = localDate(deps.now(), deps.directory.cachedTimeZone(body.user.id) ?? 'UTC');
    if (target && target < today) errors[CREATE_FIELDS.target] = 'The target end date is in the past.';
    // A channel is home to one group: taking it from another group is for that group's facilitators.
    const home = channelId ? deps.store.groups.getByChannelId(channelId) : null;
    if (home && !(await deps.identity.mayConfigureNow(home, body.user.id))) {
      errors[CREATE_FIELDS.channel] =
        `This channel is the home of ${home.name.slice(0, 60)}; only its facilitators can move it. Pick another channel.`;
    }
    if (Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    await ack();
    const person = await deps.identity.personFor(facilitator);
    const channel = channelId ? await deps.directory.channel(channelId).catch(() => null) : null;
    const group = deps.groups.create({
      name,
      channelId,
      channelName: channel?.name ?? null,
      targetEndDate: target,
      facilitatorPersonId: person.id,
      timezone: await deps.identity.timeZoneOf(facilitator),
    });
    let linked = '';
    if (epicUrl) {
      deps.links.link(group.slug, epicUrl);
      deps.requestSync(group.id);
      linked = ' Its GitLab items are being synced.';
    }
    const text = `:tada: *${esc(group.name)}* (\`${group.slug}\`) is set up with <@${facilitator}> as facilitator.${linked} Try \`/wg status\`${channelId ? ` in <#${channelId}>` : ''}.`;
    await client.chat.postMessage({ channel: body.user.id, text }).catch((error: Error) => {
      deps.logger.warn({ err: error.message }, 'could not confirm the new group by DM');
    });
  });
}
