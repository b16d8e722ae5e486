// `npm run bench -- graphql`: a full sync of one epic with 2,000 child issues through GitLab's GraphQL Work
// Items API (the fake on 127.0.0.1, queries run against GitLab's schema), then an incremental one after
// 10 issues and a child epic close.
import { PAGE_SIZE } from '../src/gitlab/graphql/documents.js';
import { gitlabSchema } from '../test/fakes/gitlabGraphqlSchema.js';
import { epicGroup } from './epicGroup.js';
import { fmt } from './fixtures.js';

const ISSUES = 2000;

export async function benchGraphql(): Promise<void> {
  console.log(`\n== GitLab sync through GraphQL work items: 1 epic × ${ISSUES} issues + 2 child epics ==`);
  gitlabSchema(); // built once, before the clock starts
  const { clock, gitlab, children, issues, cleanup, sync, group } = await epicGroup({
    issues: ISSUES,
    childEpics: 2,
    api: 'graphql',
  });
  const child = children[0]!;

  clock.set('2026-11-20T08:00:00Z');
  const started = performance.now();
  const full = await sync.syncGroup(group);
  const fullMs = performance.now() - started;
  const pages = Math.ceil((ISSUES + 2) / PAGE_SIZE);
  const minimum = pages + 1; // the hierarchy's pages, and the open iterations (REST)
  console.log(`full sync:        ${fmt(fullMs)}  status ${full.status}, ${full.sources[0]?.issues} issues`);
  console.log(`rows/s:           ${Math.round(ISSUES / (fullMs / 1000)).toLocaleString('en-US')}`);
  console.log(
    `HTTP requests:    ${gitlab.requests.length} (${gitlab.requests.filter((r) => r.path === '/api/graphql').length} GraphQL; minimum ${pages} pages of ${PAGE_SIZE} + 1 = ${minimum})`,
  );

  clock.advance(30 * 60_000);
  for (const issue of issues.slice(0, 10)) gitlab.updateIssue('g/app', issue.iid, { state: 'closed' });
  gitlab.updateEpic('g', child.iid, { state: 'closed' });
  gitlab.resetLog();
  const incStart = performance.now();
  const inc = await sync.syncGroup(group);
  const incMs = performance.now() - incStart;
  console.log(
    `incremental sync: ${fmt(incMs)}  ${inc.sources[0]?.issues} changed issues + a child epic closed, ${gitlab.requests.length} HTTP requests (must be ≤ 3)`,
  );
  cleanup();
  await gitlab.close();
}
