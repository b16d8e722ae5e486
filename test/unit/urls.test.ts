import { describe, expect, it } from 'vitest';
import { canonicalSourceUrl, parseSourceUrl, SourceUrlError } from '../../src/gitlab/urls.js';

const GL = 'https://gitlab.example.com';

describe('GitLab source URLs', () => {
  it.each([
    [
      'https://gitlab.example.com/groups/g/sub/-/epics/42',
      { kind: 'epic', namespaceKind: 'group', path: 'g/sub', iid: 42 },
    ],
    [
      'https://gitlab.example.com/groups/g/-/work_items/7',
      { kind: 'work_item', namespaceKind: 'group', path: 'g', iid: 7 },
    ],
    [
      'https://gitlab.example.com/g/okr/-/work_items/3',
      { kind: 'work_item', namespaceKind: 'project', path: 'g/okr', iid: 3 },
    ],
    [
      'https://gitlab.example.com/g/sub/proj/-/milestones/7',
      { kind: 'milestone', namespaceKind: 'project', path: 'g/sub/proj', iid: 7 },
    ],
    [
      'https://gitlab.example.com/groups/g/-/milestones/3#tab',
      { kind: 'milestone', namespaceKind: 'group', path: 'g', iid: 3 },
    ],
    [
      'https://gitlab.example.com/g/proj/-/issues/12',
      { kind: 'issue', namespaceKind: 'project', path: 'g/proj', iid: 12 },
    ],
    [
      '<https://gitlab.example.com/g/proj/-/issues/12/>',
      { kind: 'issue', namespaceKind: 'project', path: 'g/proj', iid: 12 },
    ],
    [
      'https://gitlab.example.com/g/proj/-/issues?label_name[]=wg::ops&label_name[]=team::x',
      {
        kind: 'issues',
        namespaceKind: 'project',
        path: 'g/proj',
        labels: ['wg::ops', 'team::x'],
        milestone: null,
      },
    ],
    [
      'https://gitlab.example.com/groups/g/-/issues?label_name%5B%5D=wg%3A%3Aops&milestone_title=Sprint%2021',
      { kind: 'issues', namespaceKind: 'group', path: 'g', labels: ['wg::ops'], milestone: 'Sprint 21' },
    ],
  ])('%s', (url, ref) => {
    expect(parseSourceUrl(url, GL)).toEqual(ref);
  });

  it.each([
    ['not a url', /it is not a URL/],
    [
      'https://gitlab.com/groups/g/-/epics/1',
      /it is on gitlab.com, but wgbot is set up for gitlab.example.com/,
    ],
    ['https://gitlab.example.com/g/proj', /no '\/-\/' part/],
    ['https://gitlab.example.com/g/proj/-/issues', /needs a filter such as \?label_name\[\]=wg::ops/],
    ['https://gitlab.example.com/g/proj/-/epics/3', /an epic URL looks like/],
    ['https://gitlab.example.com/groups/g/-/issues/3', /issues belong to projects/],
    ['https://gitlab.example.com/g/proj/-/merge_requests/3', /cannot sync 'merge_requests' pages/],
  ])('refuses %s, saying which forms it accepts', (url, why) => {
    let error: unknown;
    try {
      parseSourceUrl(url, GL);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SourceUrlError);
    expect((error as Error).message).toMatch(why);
    expect((error as Error).message).toContain('wgbot accepts: <gitlab>/groups/<group>/-/epics/<iid>');
    expect((error as Error).message).not.toContain('\n');
  });

  it('gives one canonical URL per source, whatever the label order or encoding', () => {
    const a = parseSourceUrl('https://gitlab.example.com/g/p/-/issues?label_name[]=b&label_name[]=a', GL);
    const b = parseSourceUrl('https://gitlab.example.com/g/p/-/issues?labels=a,b', GL);
    expect(canonicalSourceUrl(a, GL)).toBe(canonicalSourceUrl(b, GL));
    expect(canonicalSourceUrl(parseSourceUrl(`${GL}/groups/g/-/work_items/5`, GL), GL)).toBe(
      `${GL}/groups/g/-/work_items/5`,
    );
  });

  it('accepts a GitLab installed under a path', () => {
    expect(
      parseSourceUrl('https://host.example/gitlab/groups/g/-/epics/2', 'https://host.example/gitlab'),
    ).toMatchObject({
      kind: 'epic',
      path: 'g',
      iid: 2,
    });
  });
});
