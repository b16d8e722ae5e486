import type { Store } from '../store/store.js';
import { loadGroupState } from './groupState.js';
import { type StatusItem, type StatusReport, statusReport } from './status.js';

export interface HomeData {
  items: { group: { slug: string; name: string }; item: StatusItem }[];
  groups: StatusReport[];
}

/** What a person's App Home shows: their items in every group, and the groups they have a role in. */
export function homeData(
  store: Store,
  person: { id: number; slackUserId: string | null },
  now: Date,
): HomeData {
  const personId = person.id;
  const roleGroups = new Set(store.groups.groupIdsOfPerson(personId));
  const itemGroups = new Set(store.items.listByOwner(personId).map((i) => i.wgId));
  const reports = new Map<number, StatusReport>();
  for (const wgId of new Set([...roleGroups, ...itemGroups])) {
    const group = store.groups.getById(wgId);
    // Paused and ended groups stay off the Home tab: nothing there is asking for anyone's work.
    if (group?.lifecycle === 'active') reports.set(wgId, statusReport(loadGroupState(store, group, now)));
  }
  const items: HomeData['items'] = [];
  for (const [wgId, report] of reports) {
    if (!itemGroups.has(wgId)) continue;
    for (const item of report.items) {
      if (
        item.state === 'open' &&
        person.slackUserId !== null &&
        item.ownerSlackUserIds.includes(person.slackUserId)
      ) {
        items.push({ group: { slug: report.slug, name: report.name }, item });
      }
    }
  }
  const groups = [...reports.entries()]
    .filter(([wgId]) => roleGroups.has(wgId) || itemGroups.has(wgId))
    .map(([, r]) => r);
  return { items, groups };
}
