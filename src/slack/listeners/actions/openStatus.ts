import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { GROUP_GONE } from '../../views/itemNotices.js';
import { statusModal } from '../../views/home.js';
import type { Listening } from '../deps.js';
import { publishHome } from '../home.js';

/** The App Home's *Open status*: the group's status in a modal. */
export function openStatus(deps: Listening) {
  return async ({
    ack,
    body,
    action,
    client,
  }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs) => {
    await ack();
    const found = deps.groups.resolve(action.value ?? '', null, null);
    if (found.kind !== 'found') {
      // The Home tab was drawn before the group went away: redraw it, saying why nothing opened.
      await publishHome(deps, client, body.user.id, GROUP_GONE);
      return;
    }
    const viewer = {
      slackUserId: body.user.id,
      timeZone: await deps.identity.timeZoneOf(body.user.id),
      now: deps.now(),
      audience: 'private' as const,
    };
    await client.views.open({
      trigger_id: body.trigger_id,
      view: statusModal(deps.status.report(found.group), viewer),
    });
  };
}
