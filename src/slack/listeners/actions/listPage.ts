import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { groupListView } from '../../views/lists.js';
import type { Listening } from '../deps.js';

/** `/wg list`'s *Previous* and *Next page*: the message turns to the asked-for page in place. */
export function listPage(deps: Listening) {
  return async ({
    ack,
    action,
    respond,
  }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs) => {
    await ack();
    const page = /^\d{1,6}$/.test(action.value ?? '') ? Number(action.value) : 1;
    const view = groupListView(deps.lists.page(page), deps.lists.endedCount());
    await respond({ replace_original: true, text: view.text, blocks: view.blocks });
  };
}
