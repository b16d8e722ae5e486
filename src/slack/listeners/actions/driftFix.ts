import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { driftFixNotice } from '../../views/drift.js';
import { refusedNotice } from '../../views/itemNotices.js';
import type { Listening } from '../deps.js';
import { aside } from './redraw.js';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/**
 * "Create the story" and "Tick the line" (`/wg drift`, the digest): for the group's facilitators whose
 * GitLab account may write to the epic. What happened is said beside the message, to the clicker only.
 */
export function driftFix(deps: Listening, fix: 'createStory' | 'tickLine') {
  const what = fix === 'createStory' ? 'create a story from this line' : 'tick this line';
  return async ({ ack, body, action, respond }: Args) => {
    await ack();
    const itemId = Number(action.value);
    const project = fix === 'createStory' ? deps.drift.storyProject(itemId) : null;
    const verdict = await deps.gate.driftFix(itemId, body.user.id, what, project);
    if (!verdict.ok) {
      await respond(aside(refusedNotice(verdict.view).text));
      return;
    }
    const result =
      fix === 'createStory'
        ? await deps.writes.createStory(verdict.ctx)
        : await deps.writes.tickLine(verdict.ctx);
    await respond(aside(driftFixNotice(result)));
  };
}
