import type { AllMiddlewareArgs, SlackActionMiddlewareArgs } from '@slack/bolt';

/** *Open in GitLab*: a link button still sends an action; acknowledging it is all there is to do. */
export function itemOpen() {
  return async ({ ack }: SlackActionMiddlewareArgs & AllMiddlewareArgs) => {
    await ack();
  };
}
