import { localDate } from '../domain/dates.js';
import type { StoredActionItem } from '../store/repositories/actionItems.js';
import type { Store } from '../store/store.js';
import type { StoredCriterionChange } from './criteriaHistory.js';
import { type GroupSummary, groupsByIds } from './groupList.js';
import { evaluateItems } from './groupState.js';
import { type StatusItem, toStatusItem } from './status.js';

export interface HomeData {
  items: { group: { slug: string; name: string }; item: StatusItem }[];
  groups: GroupSummary[];
  /** The latest changes of the exit criteria of those groups, newest first. */
  changes: (StoredCriterionChange & { groupName: string })[];
}

/** How many criteria changes the Home tab shows. */
const HOME_CHANGES = 5;

/**
 * What a person's App Home shows: their open items in every group, and the groups they have a role in or
 * items in. Only their own items are read and evaluated; the groups' figures come from the summaries, so a
 * Home tab costs the same whether the groups hold fifty items or ten thousand.
 */
export function homeData(
  store: Store,
  person: { id: number; slackUserId: string | null },
  now: Date,
): HomeData {
  const owned = store.items.listByOwner(person.id);
  const groupIds = new Set([...store.roles.groupIdsOfPerson(person.id), ...owned.map((i) => i.wgId)]);
  // Paused and ended groups stay off the Home tab: nothing there is asking for anyone's work.
  const groups = groupsByIds(store, now, [...groupIds], ['active']);
  const items: HomeData['items'] = [];
  const names = new Map(
    groups.flatMap((g) => {
      const group = store.groups.getBySlug(g.slug);
      return group ? [[group.id, g.name] as const] : [];
    }),
  );
  const changes = store.criterionChanges
    .latestOfGroups([...names.keys()], HOME_CHANGES)
    .map((c) => ({ ...c, groupName: names.get(c.wgId) ?? '' }));
  if (person.slackUserId === null) return { items, groups, changes };
  const byGroup = new Map<number, StoredActionItem[]>();
  for (const item of owned) {
    if (item.state !== 'open') continue;
    const list = byGroup.get(item.wgId) ?? [];
    list.push(item);
    byGroup.set(item.wgId, list);
  }
  for (const [wgId, open] of byGroup) {
    const group = store.groups.getById(wgId);
    if (group?.lifecycle !== 'active') continue;
    const today = localDate(now, group.timezone);
    for (const evaluated of evaluateItems(open, store.sprints.list(wgId), group.cadence, today)) {
      const item = toStatusItem(evaluated);
      if (item.ownerSlackUserIds.includes(person.slackUserId))
        items.push({ group: { slug: group.slug, name: group.name }, item });
    }
  }
  return { items, groups, changes };
}
