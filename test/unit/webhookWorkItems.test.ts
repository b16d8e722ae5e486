import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { affectedGroups } from '../../src/gitlab/webhook.js';
import { parseSourceUrl, canonicalSourceUrl } from '../../src/gitlab/urls.js';
import type { ItemInput } from '../../src/store/repositories/actionItems.js';
import type { Store } from '../../src/store/store.js';
import { tempStore } from '../helpers/store.js';

// GitLab's "Work item events" (webhook events page): `object_kind` is `issue` for issues and `work_item`
// for every other type, whose `object_attributes.type` names it ("Task", "Epic", "Objective",
// "Key Result"); a project's work item carries `project`, a group's (an epic) does not, and its
// `object_attributes.url` names its group.

const GL = 'https://gitlab.example.com';
const NOW = new Date('2026-11-23T09:00:00Z');
let store: Store;
let cleanup: () => void;
let okrs: number;
let platform: number;
let other: number;

function link(wgId: number, url: string) {
  const ref = parseSourceUrl(url, GL);
  store.sources.add(wgId, ref, canonicalSourceUrl(ref, GL), null, NOW);
}

beforeEach(() => {
  ({ store, cleanup } = tempStore(() => NOW));
  okrs = store.groups.insert('okrs', { name: 'OKRs' }, NOW).id;
  platform = store.groups.insert('platform', { name: 'Platform' }, NOW).id;
  other = store.groups.insert('other', { name: 'Other' }, NOW).id;
  link(okrs, `${GL}/acme/okr/-/work_items/1`);
  link(platform, `${GL}/groups/acme/platform/-/work_items/7`);
  link(other, `${GL}/groups/elsewhere/-/epics/2`);
});
afterEach(() => cleanup());

/** The documented payload's shape (trimmed to what varies here; the rest is ignored). */
function workItemEvent(attrs: { id: number; iid: number; type: string; url: string }, projectPath?: string) {
  return {
    object_kind: 'work_item',
    event_type: 'work_item',
    user: { id: 1, name: 'Administrator', username: 'root' },
    ...(projectPath
      ? { project: { id: 1, name: 'okr', path_with_namespace: projectPath, web_url: `${GL}/${projectPath}` } }
      : {}),
    object_attributes: {
      ...attrs,
      title: 'Lead time under a day',
      state: 'opened',
      action: 'update',
      confidential: false,
      health_status: 'at_risk',
      created_at: '2026-11-20T10:00:00Z',
      updated_at: '2026-11-23T08:59:00Z',
    },
  };
}

describe('work item webhooks: which groups to sync', () => {
  it("a key result in a linked objective's project syncs the group that links the objective", () => {
    const payload = workItemEvent(
      { id: 9001, iid: 2, type: 'Key Result', url: `${GL}/acme/okr/-/work_items/2` },
      'acme/okr',
    );
    expect(affectedGroups(store, payload)).toEqual([okrs]);
  });

  it('a group-level epic under a linked group work item syncs that group, by the group in its URL', () => {
    const payload = workItemEvent({
      id: 9100,
      iid: 12,
      type: 'Epic',
      url: `${GL}/groups/acme/platform/-/work_items/12`,
    });
    expect(affectedGroups(store, payload)).toEqual([platform]);
    const sub = workItemEvent({
      id: 9101,
      iid: 3,
      type: 'Epic',
      url: `${GL}/groups/acme/platform/infra/-/epics/3`,
    });
    expect(affectedGroups(store, sub)).toEqual([platform]);
  });

  it('a task in a project under the linked group syncs it; one elsewhere syncs nobody', () => {
    const task = workItemEvent(
      { id: 9200, iid: 40, type: 'Task', url: `${GL}/acme/platform/api/-/work_items/40` },
      'acme/platform/api',
    );
    expect(affectedGroups(store, task)).toEqual([platform]);
    const unrelated = workItemEvent(
      { id: 9201, iid: 41, type: 'Task', url: `${GL}/nowhere/app/-/work_items/41` },
      'nowhere/app',
    );
    expect(affectedGroups(store, unrelated)).toEqual([]);
  });

  it('a child epic stored from GraphQL (under its work item id) syncs the groups holding it', () => {
    const item: ItemInput = {
      source: 'gitlab_epic',
      sourceKey: 'epic:9300',
      externalId: 'epic:9300',
      title: 'Runner fleet',
      notes: null,
      state: 'open',
      sprint: null,
      owners: [],
      ownerPersonIds: [],
      dueDate: null,
      url: `${GL}/groups/third/-/work_items/5`,
      storyRef: 'third&5',
      confidential: false,
      weight: null,
      labels: [],
      externalUpdatedAt: null,
      closedAt: null,
      position: 500,
      sourceLine: null,
    };
    store.items.upsert(other, item, NOW);
    const payload = workItemEvent({
      id: 9300,
      iid: 5,
      type: 'Epic',
      url: `${GL}/groups/third/-/work_items/5`,
    });
    expect(affectedGroups(store, payload)).toEqual([other]);
  });
});
