// The fake GitLab's answers for counting and change probes, kept apart from the big fake (gitlab.ts):
// - `GET /groups/:id/issues_statistics`, `GET /projects/:id/issues_statistics` (GitLab's Issues statistics
//   API): `{"statistics":{"counts":{"all","closed","opened"}}}` over the issues the listing's filters select
//   (epic_id, labels, milestone, updated_after…), exact at any size — unlike a listing's x-total, which
//   GitLab omits beyond 10,000 rows;
// - `GET /groups/:id/epics` (Epics API, "List epics for a group"): the group's epics and, unless
//   `include_descendant_groups=false`, its subgroups', filtered by `state` (default all),
//   `updated_after`/`updated_before`, ordered by `order_by` (created_at | updated_at) and `sort`.

export function issueStatistics(issues: { state: string }[]): unknown {
  const closed = issues.filter((i) => i.state === 'closed').length;
  return { statistics: { counts: { all: issues.length, closed, opened: issues.length - closed } } };
}

interface ListedEpic {
  id: number;
  state: string;
  created_at: string;
  updated_at: string;
}

export function listedEpics<T extends ListedEpic>(epics: T[], q: URLSearchParams): T[] {
  const state = q.get('state') ?? 'all';
  const after = q.get('updated_after');
  const before = q.get('updated_before');
  const list = epics.filter(
    (e) =>
      (state === 'all' || e.state === state) &&
      (!after || Date.parse(e.updated_at) >= Date.parse(after)) &&
      (!before || Date.parse(e.updated_at) <= Date.parse(before)),
  );
  const field = q.get('order_by') === 'updated_at' ? 'updated_at' : 'created_at';
  const dir = q.get('sort') === 'asc' ? 1 : -1;
  return list.sort((a, b) => dir * (Date.parse(a[field]) - Date.parse(b[field]) || a.id - b.id));
}
