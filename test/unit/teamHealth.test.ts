import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { type Answers, parseQuestionnaire, summarizeRound } from '../../src/domain/assessment.js';
import { DEFAULT_DOD, dodVerdict } from '../../src/domain/dod.js';
import { sparkline, usageKind, usageTrend, usageValue } from '../../src/domain/usage.js';
import type { TeamHealthGitlab } from '../../src/gitlab/teamHealth.js';
import { DodService, MAX_STORIES } from '../../src/services/dodService.js';
import { questionnaireFor, SHIPPED_ASSESSMENTS } from '../../src/services/questionnaires.js';
import { tempStore } from '../helpers/store.js';

const shipped = () => {
  const parsed = parseQuestionnaire(readFileSync(`${SHIPPED_ASSESSMENTS}/devops.yml`, 'utf8'));
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
};

describe('questionnaires', () => {
  it('ships a DevOps self-assessment with the areas the epic names', () => {
    const q = shipped();
    expect(q.areas.map((a) => a.title)).toEqual([
      'Test automation',
      'CI/CD',
      'Environments',
      'Monitoring',
      'Incident response',
    ]);
    expect(q.backlog).toEqual({ label: 'devops-assessment', threshold: 3, project: null });
    expect(questionnaireFor('no-such-group').ok).toBe(true);
  });

  it('names the first thing wrong with a questionnaire', () => {
    expect(parseQuestionnaire('name: x\nareas: []')).toEqual({
      ok: false,
      reason: expect.stringMatching(/^areas: /),
    });
    expect(parseQuestionnaire(': : :\n  - [')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^not YAML/),
    });
    const twice =
      'name: x\nareas:\n  - {id: a, title: A, questions: [{id: q, text: one}]}\n  - {id: b, title: B, questions: [{id: q, text: two}]}';
    expect(parseQuestionnaire(twice)).toEqual({ ok: false, reason: "question ID 'q' is used twice" });
    const badId = 'name: x\nareas:\n  - {id: "A B", title: A, questions: [{id: q, text: one}]}';
    expect(parseQuestionnaire(badId)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^areas\.0\.id: an ID is/),
    });
  });
});

describe('a round summary', () => {
  const q = shipped();
  const answer = (score: number, monitoring = score): Answers => ({
    scores: Object.fromEntries(
      q.areas.flatMap((a) => a.questions.map((x) => [x.id, a.id === 'monitoring' ? monitoring : score])),
    ),
    notes: {},
  });

  it('shows nothing for fewer than three answers', () => {
    expect(summarizeRound(q, [answer(3), answer(4)], null)).toEqual({
      kind: 'too-few',
      answers: 2,
      needed: 3,
    });
  });

  it('gives score, change, spread and the lowest areas', () => {
    const summary = summarizeRound(
      q,
      [answer(4, 1), answer(4, 2), answer(5, 3)],
      new Map([['monitoring', 3]]),
    );
    if (summary.kind !== 'summary') throw new Error('expected a summary');
    const monitoring = summary.areas.find((a) => a.id === 'monitoring')!;
    expect(monitoring).toEqual({
      id: 'monitoring',
      title: 'Monitoring',
      score: 2,
      change: -1,
      spread: 2,
      answered: 3,
    });
    expect(summary.areas.find((a) => a.id === 'ci-cd')).toMatchObject({
      score: 4.3,
      change: null,
      spread: 1,
    });
    expect(summary.lowest[0]!.id).toBe('monitoring');
  });

  it('leaves out scores that are not 1–5 (unknown is not zero)', () => {
    const odd: Answers = { scores: { alerts: 0, dashboards: 9 }, notes: {} };
    const summary = summarizeRound(q, [answer(3), answer(3), odd], null);
    if (summary.kind !== 'summary') throw new Error('expected a summary');
    expect(summary.areas.find((a) => a.id === 'monitoring')).toMatchObject({ score: 3, answered: 2 });
  });
});

describe('the Definition-of-Done verdict', () => {
  const mr = (pipeline: string | null, tests: number | null) => ({ iid: 1, webUrl: null, pipeline, tests });
  const read = (...merged: ReturnType<typeof mr>[]) => ({ kind: 'read' as const, merged });

  it('passes a merged MR whose last pipeline is green with tests, and names the nearest miss otherwise', () => {
    expect(dodVerdict(read(mr('success', 3)), [], DEFAULT_DOD).verdict).toBe('pass');
    expect(dodVerdict(read(mr('success', 0)), [], DEFAULT_DOD)).toEqual({
      verdict: 'fail',
      reason: 'no tests',
    });
    expect(dodVerdict(read(mr('failed', 3), mr('success', null)), [], DEFAULT_DOD)).toEqual({
      verdict: 'fail',
      reason: 'no tests',
    });
    expect(dodVerdict(read(mr(null, null)), [], DEFAULT_DOD)).toEqual({
      verdict: 'fail',
      reason: 'no pipeline',
    });
    expect(dodVerdict(read(), [], DEFAULT_DOD)).toEqual({ verdict: 'fail', reason: 'no merged MR' });
  });

  it('follows the rules: exempt label, pipeline or tests optional; unreadable is unknown', () => {
    const rules = { pipelineRequired: false, testsRequired: false, exemptLabel: 'Docs' };
    expect(dodVerdict(read(), ['docs'], rules)).toEqual({ verdict: 'exempt' });
    expect(dodVerdict(read(mr('failed', null)), [], rules).verdict).toBe('pass');
    expect(dodVerdict({ kind: 'unreadable', reason: '403' }, [], DEFAULT_DOD)).toEqual({
      verdict: 'unknown',
      reason: '403',
    });
  });
});

describe('the DoD check is bounded', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));
  const now = new Date('2026-11-23T09:00:00Z');
  function storeWithClosedStories(count: number) {
    const { store, cleanup } = tempStore(() => now);
    cleanups.push(cleanup);
    const group = store.transaction(() => store.groups.insert('g', { name: 'G', timezone: 'UTC' }, now));
    store.transaction(() => {
      for (let i = 1; i <= count; i += 1)
        store.items.upsert(
          group.id,
          {
            source: 'gitlab_issue',
            sourceKey: `issue:${i}`,
            externalId: `issue:${i}`,
            title: `Story ${i}`,
            notes: null,
            sprint: null,
            owners: [],
            ownerPersonIds: [],
            dueDate: null,
            url: null,
            storyRef: null,
            confidential: false,
            weight: null,
            labels: [],
            externalUpdatedAt: null,
            position: i,
            sourceLine: null,
            state: 'done',
            closedAt: new Date(now.getTime() - 3_600_000 + i).toISOString(),
            gitlabPath: 'g/app',
            gitlabIid: i,
          },
          now,
        );
    });
    return { store, group };
  }
  const green: TeamHealthGitlab = {
    abort: () => undefined,
    createIssue: () => Promise.reject(new Error('not here')),
    addIssueToEpic: () => Promise.reject(new Error('not here')),
    closedBy: () => Promise.resolve([{ projectId: 1, iid: 1, state: 'merged', webUrl: null }]),
    mrPipelines: () => Promise.resolve([{ id: 9, status: 'success' }]),
    testCount: () => Promise.resolve(5),
  };

  it(`checks at most ${MAX_STORIES} stories and says how many it left`, async () => {
    const { store, group } = storeWithClosedStories(MAX_STORIES + 7);
    const checked = await new DodService(store, green, () => now).check(group);
    if (checked.kind !== 'checked') throw new Error('expected a report');
    expect(checked.report.stories).toHaveLength(MAX_STORIES);
    expect(checked.report).toMatchObject({ unchecked: 7, stopped: 'cap' });
  });

  it('stops when its time budget is spent (an injected timer), leaving the rest unchecked', async () => {
    const { store, group } = storeWithClosedStories(10);
    let t = 0;
    const slow: TeamHealthGitlab = { ...green, closedBy: (...a) => ((t += 6_000), green.closedBy(...a)) };
    const checked = await new DodService(
      store,
      slow,
      () => now,
      undefined,
      () => t,
    ).check(group);
    if (checked.kind !== 'checked') throw new Error('expected a report');
    expect(checked.report.stories).toHaveLength(4);
    expect(checked.report).toMatchObject({ unchecked: 6, stopped: 'time' });
  });
});

describe('usage answers', () => {
  it('reads Prometheus vectors and scalars, and JSON numbers; anything else is no figure', () => {
    const vector = (...values: string[]) => ({
      status: 'success',
      data: { resultType: 'vector', result: values.map((v) => ({ metric: {}, value: [1, v] })) },
    });
    expect(usageValue('prometheus', vector('1', '2.5'))).toEqual({ ok: true, value: 3.5 });
    expect(
      usageValue('prometheus', { status: 'success', data: { resultType: 'scalar', result: [1, '7'] } }),
    ).toEqual({ ok: true, value: 7 });
    expect(usageValue('prometheus', vector())).toEqual({ ok: false, reason: 'the query matched no series' });
    expect(usageValue('prometheus', vector('NaN'))).toEqual({
      ok: false,
      reason: 'a sample is not a number',
    });
    expect(usageValue('prometheus', { status: 'error', error: 'bad query' })).toMatchObject({ ok: false });
    expect(usageValue('json', 42)).toEqual({ ok: true, value: 42 });
    expect(usageValue('json', { value: '12' })).toEqual({ ok: true, value: 12 });
    expect(usageValue('json', { count: 12 })).toMatchObject({ ok: false });
    expect(usageKind(new URL('https://p.example/api/v1/query?query=up'))).toBe('prometheus');
    expect(usageKind(new URL('https://stats.example/usage.json'))).toBe('json');
  });

  it('gives a trend and an 8-week sparkline only where there is something to compare', () => {
    expect(usageTrend(110, 100)).toBe(10);
    expect(usageTrend(110, 0)).toBeNull();
    expect(usageTrend(110, null)).toBeNull();
    expect(sparkline([5])).toBe('');
    expect(sparkline([1, 2, 3, 4, 5, 6, 7, 8])).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([3, 3])).toBe('▄▄');
  });
});
