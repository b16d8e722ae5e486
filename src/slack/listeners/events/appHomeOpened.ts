import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { Listening } from '../deps.js';
import { publishHome } from '../home.js';

/** `app_home_opened`: the Home tab drawn afresh each time it is opened (the Messages tab needs nothing). */
export function appHomeOpened(deps: Listening) {
  return async ({ event, client }: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs) => {
    if (event.tab !== 'home') return;
    await publishHome(deps, client, event.user);
  };
}
