import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { slackFailure } from '../../failures.js';
import { statusLoadingModal, statusModal } from '../../views/home.js';
import { GROUP_GONE } from '../../views/itemNotices.js';
import { statusNotOpenedText } from '../../views/notices.js';
import type { Listening } from '../deps.js';
import { publishHome } from '../home.js';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/**
 * The App Home's *Open status*: the group's status in a modal. Slack's trigger lasts 3 seconds, so a
 * loading view opens with it first — before any other call to Slack (the reader's zone may need one) —
 * and the status fills it with views.update. When Slack will not open it, the reader hears why by DM.
 */
export function openStatus(deps: Listening) {
  return async ({ ack, body, action, client }: Args) => {
    await ack();
    const found = deps.groups.resolve(action.value ?? '', null, null);
    if (found.kind !== 'found') {
      // The Home tab was drawn before the group went away: redraw it, saying why nothing opened.
      await publishHome(deps, client, body.user.id, GROUP_GONE);
      return;
    }
    const group = found.group;
    const tell = (error: unknown) =>
      client.chat
        .postMessage({
          channel: body.user.id,
          text: statusNotOpenedText(group.slug, slackFailure(error).reason),
        })
        .catch((dmError: Error) =>
          deps.logger.warn({ err: dmError.message }, 'could not say status did not open'),
        );
    let viewId: string;
    try {
      const opened = await client.views.open({
        trigger_id: body.trigger_id,
        view: statusLoadingModal(group.name),
      });
      viewId = opened.view!.id!;
    } catch (error) {
      deps.logger.warn({ err: (error as Error).message }, 'Open status: views.open failed');
      await tell(error);
      return;
    }
    const viewer = {
      slackUserId: body.user.id,
      timeZone: await deps.identity.timeZoneOf(body.user.id, group.timezone),
      now: deps.now(),
      audience: 'private' as const,
    };
    await client.views
      .update({ view_id: viewId, view: statusModal(deps.status.report(group), viewer) })
      .catch(async (error: unknown) => {
        deps.logger.warn({ err: (error as Error).message }, 'Open status: views.update failed');
        await tell(error);
      });
  };
}
