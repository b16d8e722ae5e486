import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  linkedPercent,
  linkedPercentOfTotals,
  type MemberFigures,
  totalsOf,
} from '../../src/domain/progress.js';
import type { SourceRef } from '../../src/domain/sources.js';
import type { MappedItem } from '../../src/gitlab/mapping.js';
import { silentLogger } from '../../src/logger.js';
import { ImportService } from '../../src/services/importService.js';
import { updateCriterion } from '../../src/services/sync/epicTasks.js';
import { upsertItem } from '../../src/services/sync/writeGroup.js';
import type { StoredSource } from '../../src/store/repositories/gitlabSources.js';
import type { Store } from '../../src/store/store.js';
import { tempStore } from '../helpers/store.js';

// A criterion's figure from a linked epic's members, counted by one aggregate query in the store (the
// group's write transaction must not read 100,000 members one by one), equal to the figure the domain
// counts from the same members in memory.
const PAGE = `# Latency\n\n## Exit Criteria\n\n1. p95 under 200 ms => 20%\n`;
const now = new Date('2026-11-23T09:00:00Z');
let store: Store;
let cleanup: () => void;

beforeEach(() => {
  ({ store, cleanup } = tempStore(() => now));
  new ImportService(store, () => now).importText(PAGE, { slug: 'latency' });
});
afterEach(() => cleanup());

const group = () => store.groups.getBySlug('latency')!;
const context = () => ({ store, logger: silentLogger, now });

function member(id: number, state: 'open' | 'done', weight: number | null, epic = false): MappedItem {
  return {
    source: epic ? 'gitlab_epic' : 'gitlab_issue',
    sourceKey: `${epic ? 'epic' : 'issue'}:${id}`,
    externalId: `${epic ? 'epic' : 'issue'}:${id}`,
    title: `Item ${id}`,
    state,
    sprint: null,
    assignees: [],
    dueDate: null,
    url: `https://gitlab.example.com/g/p/-/issues/${id}`,
    storyRef: null,
    confidential: false,
    weight,
    labels: [],
    closedAt: state === 'done' ? now.toISOString() : null,
    updatedAt: now.toISOString(),
    tasksCompleted: id === 1 ? 1 : null,
    tasksTotal: id === 1 ? 4 : null,
    gitlabPath: 'g/p',
    gitlabIid: id,
    health: null,
    progress: null,
  };
}

function linked(kind: 'epic' | 'issue', members: MappedItem[]): StoredSource {
  const ref: SourceRef =
    kind === 'epic'
      ? { kind: 'epic', namespaceKind: 'group', path: 'g', iid: 5 }
      : { kind: 'issue', namespaceKind: 'project', path: 'g/p', iid: 1 };
  return store.transaction(() => {
    const criterionId = store.criteria.of(group().id)[0]!.id;
    const url = `https://gitlab.example.com/${kind}/${members.length}`;
    const source = store.sources.add(group().id, ref, url, criterionId, now).source;
    const ids = members.map((m, i) => upsertItem(context(), group(), m, 1000 + i));
    store.sources.replaceMembers(
      source.id,
      'gitlab_issue',
      ids.filter((_, i) => !members[i]!.source.endsWith('epic')),
    );
    store.sources.replaceMembers(
      source.id,
      'gitlab_epic',
      ids.filter((_, i) => members[i]!.source.endsWith('epic')),
    );
    return source;
  });
}

const figures = (members: MappedItem[]): MemberFigures[] =>
  members.map((m) => ({ ...m, tasksCompleted: m.tasksCompleted, tasksTotal: m.tasksTotal }));

describe('a linked source’s member totals', () => {
  const sets: [string, MappedItem[]][] = [
    ['unweighted', [member(1, 'done', null), member(2, 'open', null), member(3, 'done', null, true)]],
    ['weighted, the rest weighing 1', [member(1, 'done', 3), member(2, 'open', null), member(3, 'open', 2)]],
    ['all weighing 0', [member(1, 'done', 0), member(2, 'open', 0)]],
    ['none', []],
  ];
  it.each(sets)('%s: the query counts what the domain counts', (_, members) => {
    const source = linked('epic', members);
    const totals = store.sources.memberTotals(source.id);
    expect(totals).toEqual(totalsOf(figures(members)));
    expect(linkedPercentOfTotals('epic', totals)).toBe(linkedPercent('epic', figures(members)));
  });

  it('gives the criterion its figure without reading the members one by one', () => {
    const members = [member(1, 'done', 3), member(2, 'open', null), member(3, 'open', 2)];
    const source = linked('epic', members);
    const getById = vi.spyOn(store.items, 'getById');
    store.transaction(() => updateCriterion(context(), group(), source, null));
    expect(getById).not.toHaveBeenCalled();
    expect(store.criteria.of(group().id)[0]!.gitlabPercent).toBe(50); // 3 of 6
  });

  it('a link to one issue takes its task list', () => {
    const source = linked('issue', [member(1, 'open', null)]);
    store.transaction(() => updateCriterion(context(), group(), source, null));
    expect(store.criteria.of(group().id)[0]!.gitlabPercent).toBe(25);
  });
});
