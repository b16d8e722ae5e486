import { describe, expect, it } from 'vitest';
import { renderDriftText } from '../../src/cli/driftText.js';
import {
  type DriftCriterion,
  type DriftFacts,
  type DriftLine,
  type DriftStory,
  describeDrift,
  findDrift,
  parseStoryRef,
  storyOfLine,
} from '../../src/domain/drift.js';

function line(over: Partial<DriftLine> = {}): DriftLine {
  return {
    itemId: 1,
    title: 'Workshop w. Roland',
    done: false,
    storyRef: null,
    url: null,
    owners: ['Thor'],
    sprintTitle: 'Sprint 20',
    sprintStart: '2026-11-02',
    ...over,
  };
}

function story(over: Partial<DriftStory> = {}): DriftStory {
  return {
    itemId: 100,
    ref: 'acme/ops#2148',
    projectPath: 'acme/ops',
    iid: 2148,
    title: 'Workshop',
    done: false,
    owners: ['Roland Stens'],
    url: 'https://gitlab.example/acme/ops/-/issues/2148',
    confidential: false,
    ...over,
  };
}

function criterion(over: Partial<DriftCriterion> = {}): DriftCriterion {
  return {
    id: 7,
    title: 'Runbooks for every service',
    owner: 'Waldemar',
    url: null,
    handbookPercent: null,
    gitlabPercent: null,
    storyIds: [],
    ...over,
  };
}

function facts(over: Partial<DriftFacts> = {}): DriftFacts {
  return { today: '2026-11-10', lines: [], stories: [], criteria: [], ...over };
}

describe('findDrift', () => {
  it('finds a line ticked while its story is open, naming the line and its owner', () => {
    const found = findDrift(
      facts({ lines: [line({ done: true, storyRef: '#2148' })], stories: [story({ done: false })] }),
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      kind: 'ticked-open',
      line: { title: 'Workshop w. Roland' },
      story: { ref: 'acme/ops#2148' },
      owners: ['Thor'],
    });
  });

  it('finds a story closed while its line is unticked', () => {
    const found = findDrift(
      facts({ lines: [line({ storyRef: 'ops#2148' })], stories: [story({ done: true })] }),
    );
    expect(found.map((f) => f.kind)).toEqual(['closed-unticked']);
  });

  it('finds no drift when line and story agree', () => {
    expect(
      findDrift(
        facts({ lines: [line({ done: true, storyRef: '#2148' })], stories: [story({ done: true })] }),
      ),
    ).toEqual([]);
  });

  it('finds a line with no story once its sprint has started, naming its owner', () => {
    const found = findDrift(facts({ lines: [line({ sprintStart: '2026-11-10' })] }));
    expect(found).toEqual([expect.objectContaining({ kind: 'story-missing', owners: ['Thor'] })]);
  });

  it('claims nothing for a line whose sprint has not started, or whose start is unknown', () => {
    expect(findDrift(facts({ lines: [line({ sprintStart: '2026-11-11' })] }))).toEqual([]);
    expect(findDrift(facts({ lines: [line({ sprintStart: null })] }))).toEqual([]);
    expect(findDrift(facts({ lines: [line({ done: true })] }))).toEqual([]);
  });

  it('claims nothing for a line naming a story wgbot does not see', () => {
    expect(findDrift(facts({ lines: [line({ done: true, storyRef: '#9' })], stories: [] }))).toEqual([]);
  });

  it('finds a story linked to the epic that no line or criterion mentions', () => {
    const found = findDrift(
      facts({
        lines: [line({ storyRef: '#2148' })],
        stories: [story(), story({ itemId: 101, iid: 7, ref: 'acme/ops#7', url: 'u7', owners: ['Ann'] })],
        criteria: [criterion({ storyIds: [] })],
      }),
    );
    expect(found).toEqual([
      expect.objectContaining({
        kind: 'unlisted-story',
        story: expect.objectContaining({ ref: 'acme/ops#7' }),
        owners: ['Ann'],
      }),
    ]);
  });

  it('counts a story a criterion is measured by, or links to, as mentioned', () => {
    const stories = [story({ itemId: 5, url: 'u5' }), story({ itemId: 6, iid: 6, url: 'u6' })];
    const found = findDrift(facts({ stories, criteria: [criterion({ storyIds: [5], url: 'u6' })] }));
    expect(found).toEqual([]);
  });

  it('finds a page figure more than 10 points from GitLab’s, naming the criterion’s owner', () => {
    const found = findDrift(
      facts({
        criteria: [
          criterion({ handbookPercent: 80, gitlabPercent: 50 }),
          criterion({ id: 8, handbookPercent: 60, gitlabPercent: 50 }),
          criterion({ id: 9, handbookPercent: 60, gitlabPercent: null }),
        ],
      }),
    );
    expect(found).toEqual([
      expect.objectContaining({ kind: 'percent-differs', handbook: 80, gitlab: 50, owners: ['Waldemar'] }),
    ]);
  });
});

describe('storyOfLine', () => {
  const two = [story(), story({ itemId: 101, projectPath: 'acme/web', ref: 'acme/web#2148', url: 'w' })];

  it('takes a short reference only when one story has that number', () => {
    expect(storyOfLine(line({ storyRef: '#2148' }), two)).toBeNull();
    expect(storyOfLine(line({ storyRef: 'web#2148' }), two)?.itemId).toBe(101);
    expect(storyOfLine(line({ storyRef: 'acme/ops#2148' }), two)?.itemId).toBe(100);
  });

  it('takes a link to the story', () => {
    expect(storyOfLine(line({ url: 'w' }), two)?.itemId).toBe(101);
  });

  it('reads references', () => {
    expect(parseStoryRef('#12')).toEqual({ path: null, iid: 12 });
    expect(parseStoryRef('a/b#3')).toEqual({ path: 'a/b', iid: 3 });
    expect(parseStoryRef('nothing')).toBeNull();
  });
});

describe('describeDrift', () => {
  it('names the line, the story and the owners; a confidential story by its reference only', () => {
    const open = findDrift(facts({ stories: [story({ title: 'Acquire Initech', confidential: true })] }));
    expect(describeDrift(open[0]!)).toEqual({
      text: 'story acme/ops#2148 is linked to the epic, but no task line or criterion mentions it',
      owners: ['Roland Stens'],
    });
    const missing = findDrift(facts({ lines: [line()] }));
    expect(describeDrift(missing[0]!).text).toBe(
      '“Workshop w. Roland” (Sprint 20) has no story yet: story to be created',
    );
  });
});

describe('wgbot drift (text)', () => {
  it('prints one line per finding with its owners, or that plan and GitLab agree', () => {
    const base = { slug: 'ops', name: 'Ops', today: '2026-11-10', epic: null };
    const findings = findDrift(facts({ lines: [line({ owners: [] })], stories: [story()] }));
    expect(renderDriftText({ ...base, findings })).toBe(
      [
        'Ops (ops) — 2026-11-10',
        '2 things disagree:',
        '- “Workshop w. Roland” (Sprint 20) has no story yet: story to be created — no owner named',
        '- story acme/ops#2148 “Workshop” is linked to the epic, but no task line or criterion mentions it — Roland Stens',
        '',
      ].join('\n'),
    );
    expect(renderDriftText({ ...base, findings: [] })).toBe(
      'Ops (ops) — 2026-11-10\nPlan and GitLab agree (no epic linked: task lines compared with nothing).\n',
    );
  });
});
