import { describe, expect, it } from 'vitest';
import { iterationTitle, mapIssue, sprintOfIssue, sprintsFrom } from '../../src/gitlab/mapping.js';
import {
  GitlabShapeError,
  GlEpicRecord,
  GlIssue,
  GlIteration,
  parseList,
  parseShape,
} from '../../src/gitlab/schemas.js';
import { collectRecordWarnings, describeWarning } from '../../src/gitlab/tolerance.js';

const issue = (fields: Record<string, unknown> = {}) => ({
  id: 76,
  iid: 6,
  project_id: 8,
  title: 'Story',
  state: 'opened',
  confidential: false,
  updated_at: '2026-11-16T08:00:00Z',
  web_url: 'https://gitlab.example.com/g/proj/-/issues/6',
  ...fields,
});

const epic = (fields: Record<string, unknown> = {}) => ({
  id: 29,
  iid: 6,
  group_id: 1,
  title: 'Child',
  confidential: false,
  updated_at: '2026-11-16T08:00:00Z',
  ...fields,
});

describe('what GitLab sends loosely is read as meant', () => {
  it('booleans as strings; an absent or null confidential flag as confidential, with a guess', () => {
    expect(parseShape(GlIssue, issue({ confidential: 'false' }), 'x').confidential).toBe(false);
    expect(parseShape(GlIssue, issue({ confidential: 'true' }), 'x').confidential).toBe(true);
    expect(parseShape(GlIssue, issue({ confidential: 'TRUE ' }), 'x').confidential).toBe(true);
    // GitLab always sends it; without it nobody can say the record is public.
    const guess = [{ field: 'confidential', problem: 'absent: taken as confidential' }];
    expect(parseShape(GlIssue, issue({ confidential: null }), 'x')).toMatchObject({
      confidential: true,
      guesses: guess,
    });
    expect(parseShape(GlIssue, issue({ confidential: undefined }), 'x')).toMatchObject({
      confidential: true,
      guesses: guess,
    });
    expect(parseShape(GlEpicRecord, epic({ confidential: undefined, state: 'opened' }), 'x')).toMatchObject({
      confidential: true,
      guesses: guess,
    });
    expect(() => parseShape(GlIssue, issue({ confidential: 'maybe' }), 'x')).toThrow(GitlabShapeError);
  });

  it('ids as numeric strings, and nothing else that looks like a number', () => {
    const read = parseShape(GlIssue, issue({ id: '77', iid: ' 7', project_id: '8', weight: '3' }), 'x');
    expect([read.id, read.iid, read.project_id, read.weight]).toEqual([77, 7, 8, 3]);
    expect(() => parseShape(GlIssue, issue({ id: '7a' }), 'x')).toThrow(/id/);
    expect(() => parseShape(GlIssue, issue({ id: '' }), 'x')).toThrow(/id/);
  });

  it('null lists as empty lists', () => {
    const read = parseShape(GlIssue, issue({ labels: null, assignees: null }), 'x');
    expect([read.labels, read.assignees]).toEqual([[], []]);
    expect(parseShape(GlEpicRecord, epic({ labels: null }), 'x').labels).toEqual([]);
  });

  it('an epic without state: from state_id, else from closed_at, else open with a guess', () => {
    expect(parseShape(GlEpicRecord, epic({ state_id: 2 }), 'x')).toMatchObject({ state: 'closed' });
    expect(parseShape(GlEpicRecord, epic({ state_id: '1' }), 'x')).toMatchObject({ state: 'opened' });
    expect(parseShape(GlEpicRecord, epic({ closed_at: '2026-11-01T00:00:00Z' }), 'x')).toMatchObject({
      state: 'closed',
    });
    expect(parseShape(GlEpicRecord, epic(), 'x')).toMatchObject({
      state: 'opened',
      guesses: [{ field: 'state', problem: 'no state, state_id or closed_at given: taken as open' }],
    });
    expect(parseShape(GlEpicRecord, epic({ state: 'closed' }), 'x')).not.toHaveProperty('guesses');
  });

  it('an issue without web_url: from references.full, host-relative; without either it cannot be read', () => {
    const read = parseShape(
      GlIssue,
      issue({ web_url: undefined, references: { full: 'g/sub/proj#6' } }),
      'x',
    );
    expect(read.web_url).toBe('/g/sub/proj/-/issues/6');
    expect(() => parseShape(GlIssue, issue({ web_url: null }), 'x')).toThrow(/web_url/);
  });
});

describe('a list is read record by record', () => {
  it('skips what cannot be understood with one warning naming it, and keeps the rest', async () => {
    const { value, warnings } = await collectRecordWarnings(async () =>
      parseList(
        GlIssue,
        [issue(), issue({ id: 78, iid: '8', title: null }), 'garbage', issue({ id: 79 })],
        'issues of g',
      ),
    );
    expect(value.map((i) => i.id)).toEqual([76, 79]);
    expect(warnings.map(describeWarning)).toEqual([
      'issues of g (id 78, iid 8): field title Invalid input: expected string, received null; skipped',
      'issues of g: Invalid input: expected object, received string; skipped',
    ]);
  });

  it('reports a guess once, as read anyway', async () => {
    const { value, warnings } = await collectRecordWarnings(async () =>
      parseList(GlEpicRecord, [epic()], 'child epics of &5'),
    );
    expect(value).toHaveLength(1);
    expect(warnings).toEqual([expect.objectContaining({ id: 29, iid: 6, field: 'state', skipped: false })]);
  });

  it('a list answer that is not a list is an error of the whole answer', () => {
    expect(() => parseList(GlIssue, { message: '500' }, 'issues')).toThrow(/is not a list/);
    expect(() => parseList(GlIssue, null, 'issues')).toThrow(GitlabShapeError);
  });

  it('outside a sync nobody collects, and the odd record is still skipped', () => {
    expect(parseList(GlIssue, [issue({ title: 3 }), issue()], 'issues')).toHaveLength(1);
  });
});

describe('untitled iterations and story references', () => {
  const iteration = (fields: Record<string, unknown>) =>
    parseShape(GlIteration, { id: 53, sequence: 4, title: null, ...fields }, 'x');

  it('an untitled iteration is named by its cadence and dates, never "Sprint <sequence>"', () => {
    expect(iterationTitle(iteration({ start_date: '2027-03-01', due_date: '2027-03-14' }))).toBe(
      'Iteration · Mar 1–14',
    );
    expect(
      iterationTitle(
        iteration({
          start_date: '2027-03-29',
          due_date: '2027-04-11',
          iteration_cadence: { title: 'Platform' },
        }),
      ),
    ).toBe('Platform · Mar 29–Apr 11');
    expect(
      iterationTitle(iteration({ start_date: '2026-12-28', due_date: '2027-01-10', cadence_title: 'Ops' })),
    ).toBe('Ops · Dec 28, 2026–Jan 10, 2027');
    expect(iterationTitle(iteration({}))).toBe('Iteration');
    expect(iterationTitle(iteration({ title: 'Sprint 21' }))).toBe('Sprint 21');
  });

  it('an untitled iteration has no sprint number; a titled one takes its title’s', () => {
    const untitled = iteration({ start_date: '2027-03-01', due_date: '2027-03-14' });
    const read = parseShape(GlIssue, issue({ iteration: untitled }), 'x');
    expect(sprintOfIssue(read)).toEqual({ number: null, title: 'Iteration · Mar 1–14', source: 'iteration' });
    expect(sprintsFrom([], [untitled])[0]).toMatchObject({ number: null, title: 'Iteration · Mar 1–14' });
    const titled = parseShape(GlIssue, issue({ iteration: iteration({ title: 'Sprint 21' }) }), 'x');
    expect(sprintOfIssue(titled)?.number).toBe(21);
  });

  it('a story is named by references.full, else by the web URL’s project path, never a bare "#6"', () => {
    const story = (fields: Record<string, unknown>) =>
      mapIssue(parseShape(GlIssue, issue(fields), 'x')).storyRef;
    expect(story({ references: { full: 'g/sub/proj#6' } })).toBe('g/sub/proj#6');
    expect(story({})).toBe('g/proj#6');
    expect(story({ web_url: 'http://localhost:3001/h5bp/html5-boilerplate/issues/6' })).toBe(
      'h5bp/html5-boilerplate#6',
    );
    expect(story({ web_url: 'https://gitlab.example.com/g/proj/-/work_items/6' })).toBe('g/proj#6');
    expect(story({ web_url: 'not a url' })).toBeNull();
  });
});
