// The group both GitLab sync benches measure: the handbook seed's group linked to one epic of `issues`
// issues in g/app (and `childEpics` child epics), on a fake GitLab on 127.0.0.1, before its first sync.
import { ManualClock } from '../src/clock.js';
import { createGitlabClient } from '../src/gitlab/client.js';
import { ImportService } from '../src/services/importService.js';
import { LinkService } from '../src/services/linkService.js';
import { SyncService } from '../src/services/syncService.js';
import { FakeGitlab } from '../test/fakes/gitlab.js';
import { handbookSeed } from '../test/helpers/seeds.js';
import { tempStore } from '../test/helpers/store.js';

export async function epicGroup(options: { issues: number; childEpics?: number; api?: 'graphql' }) {
  // The issues were last touched a day before the first sync, as in a group that has been going a while.
  const clock = new ManualClock('2026-11-19T08:00:00Z');
  const gitlab = await FakeGitlab.start({ now: () => clock.now() });
  if (options.api === 'graphql') gitlab.graphql.enabled = true;
  gitlab.addGroup('g');
  gitlab.addProject('g/app');
  const epic = gitlab.addEpic('g', { title: 'Big epic' });
  const children = Array.from({ length: options.childEpics ?? 0 }, (_, i) =>
    gitlab.addChildEpic('g', epic.iid, { title: `Child epic ${i + 1}` }),
  );
  const issues = Array.from({ length: options.issues }, (_, i) =>
    gitlab.addIssue('g/app', {
      title: `Issue ${i}`,
      epic: { groupPath: 'g', iid: epic.iid },
      weight: i % 5,
    } as never),
  );
  const { store, cleanup } = tempStore(() => clock.now());
  new ImportService(store, () => clock.now()).importText(handbookSeed());
  new LinkService(store, gitlab.url, () => clock.now()).link(
    'improve-ops-quality',
    `${gitlab.url}/groups/g/-/epics/${epic.iid}`,
  );
  const client = createGitlabClient({
    url: gitlab.url,
    token: gitlab.token,
    ...(options.api ? { api: options.api } : {}),
  });
  const sync = new SyncService(store, client, () => clock.now());
  const group = store.groups.getBySlug('improve-ops-quality')!;
  return { clock, gitlab, children, issues, store, cleanup, sync, group };
}
