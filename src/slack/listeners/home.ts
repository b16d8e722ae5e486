import type { WebClient } from '@slack/web-api';
import { homeView, homeWithNotice } from '../views/home.js';
import type { Listening } from './deps.js';

/** Publishes the user's App Home, with a line on top when a click could not do its work. */
export async function publishHome(
  deps: Listening,
  client: WebClient,
  userId: string,
  notice: string | null = null,
): Promise<void> {
  const person = await deps.identity.personFor(userId);
  const data = deps.home(person);
  // Even one's own items: a title in a project one's GitLab account cannot read is not shown.
  const unreadable = deps.access.checksReads(userId)
    ? await deps.access.unreadableItems(
        userId,
        data.items.map((i) => i.item.id),
      )
    : new Set<number>();
  const viewer = {
    slackUserId: userId,
    timeZone: await deps.identity.timeZoneOf(userId),
    now: deps.now(),
    audience: 'private' as const,
    ...(unreadable.size > 0 ? { unreadable } : {}),
  };
  await client.views.publish({
    user_id: userId,
    view: homeWithNotice(homeView(data.items, data.groups, viewer, data.changes), notice),
  });
}
