import { describe, expect, it } from 'vitest';
import {
  criterionProgress,
  flattenProgress,
  overallPercent,
  overallProgress,
} from '../../src/domain/criteria.js';
import type { Criterion } from '../../src/domain/types.js';

function c(title: string, figures: Partial<Criterion> = {}, children: Criterion[] = []): Criterion {
  return {
    id: null,
    section: 'exit',
    title,
    url: null,
    gitlabPercent: null,
    handbookPercent: null,
    manualPercent: null,
    weight: null,
    sourceLine: null,
    owner: null,
    children,
    ...figures,
  };
}

describe('criterion progress', () => {
  it('prefers a GitLab figure over the handbook over a hand-set one, and says where it came from', () => {
    expect(
      criterionProgress(c('a', { gitlabPercent: 40, handbookPercent: 90, manualPercent: 10 })),
    ).toMatchObject({
      percent: 40,
      source: 'gitlab',
    });
    expect(criterionProgress(c('a', { handbookPercent: 90, manualPercent: 10 }))).toMatchObject({
      percent: 90,
      source: 'handbook',
    });
    expect(criterionProgress(c('a', { manualPercent: 10 }))).toMatchObject({ percent: 10, source: 'manual' });
    expect(criterionProgress(c('a'))).toMatchObject({ percent: null, source: null });
  });

  it('rolls the measured sub-items up into a parent without its own figure, leaving unknown ones out', () => {
    const parent = c('p', {}, [
      c('a', { handbookPercent: 100 }),
      c('b', { handbookPercent: 50 }),
      c('unknown'),
    ]);
    expect(criterionProgress(parent)).toMatchObject({ percent: 75, source: 'rollup', flag: null });
  });

  it('has no figure when none of its sub-items has one', () => {
    const parent = c('p', {}, [c('a'), c('b')]);
    expect(criterionProgress(parent)).toMatchObject({ percent: null, source: null, flag: null });
  });

  it('weights only the measured sub-items', () => {
    const parent = c('p', {}, [
      c('heavy', { gitlabPercent: 20, weight: 4 }),
      c('unknown heavy', { weight: 100 }),
      c('light', { gitlabPercent: 100 }), // weight 1
    ]);
    expect(criterionProgress(parent).percent).toBe(36);
  });

  it("keeps a parent's own figure even when its sub-items say otherwise", () => {
    const parent = c('p', { handbookPercent: 100 }, [c('link only'), c('other')]);
    expect(criterionProgress(parent)).toMatchObject({ percent: 100, source: 'handbook', flag: null });
  });

  it("flags a parent whose own figure and its measured sub-items' roll-up differ by more than 10 points", () => {
    const parent = c('p', { handbookPercent: 100 }, [
      c('a', { handbookPercent: 100 }),
      c('b', { handbookPercent: 0 }),
      c('c', { handbookPercent: 0 }),
      c('unknown'),
    ]);
    expect(criterionProgress(parent)).toMatchObject({
      percent: 100,
      source: 'handbook',
      flag: 'page says 100 %, sub-items say 33.3 %',
    });
    const fromGitlab = c('p', { gitlabPercent: 40 }, [c('a', { handbookPercent: 60 })]);
    expect(criterionProgress(fromGitlab).flag).toBe('GitLab says 40 %, sub-items say 60 %');
    const byHand = c('p', { manualPercent: 80 }, [c('a', { handbookPercent: 50 })]);
    expect(criterionProgress(byHand).flag).toBe('hand-set figure says 80 %, sub-items say 50 %');
  });

  it('does not flag a difference of 10 points or less', () => {
    expect(
      criterionProgress(c('p', { handbookPercent: 60 }, [c('a', { handbookPercent: 50 })])).flag,
    ).toBeNull();
    expect(
      criterionProgress(c('p', { handbookPercent: 40 }, [c('a', { handbookPercent: 50 })])).flag,
    ).toBeNull();
    expect(criterionProgress(c('p', { handbookPercent: 60 }, [c('a', { handbookPercent: 49.9 })])).flag).toBe(
      'page says 60 %, sub-items say 49.9 %',
    );
  });

  it('carries the owner the page names', () => {
    expect(criterionProgress(c('a', { owner: 'Thor' })).owner).toBe('Thor');
  });

  it('weights sub-items when any has a weight; the others weigh 1', () => {
    const parent = c('p', {}, [
      c('heavy', { gitlabPercent: 100, weight: 3 }),
      c('light', { gitlabPercent: 0 }), // weight 1
    ]);
    expect(criterionProgress(parent).percent).toBe(75);
  });

  it('falls back to a plain mean when every weight is zero', () => {
    const parent = c('p', {}, [
      c('a', { gitlabPercent: 100, weight: 0 }),
      c('b', { gitlabPercent: 0, weight: 0 }),
    ]);
    expect(criterionProgress(parent).percent).toBe(50);
  });

  it('rolls up through several levels', () => {
    const tree = c('top', {}, [
      c('mid', {}, [c('leaf1', { handbookPercent: 100 }), c('leaf2', { handbookPercent: 0 })]),
    ]);
    const progress = criterionProgress(tree);
    expect(progress.percent).toBe(50);
    expect(progress.children[0]).toMatchObject({ percent: 50, source: 'rollup' });
  });

  it('rounds to one decimal', () => {
    const parent = c('p', {}, [
      c('a', { handbookPercent: 100 }),
      c('b', { handbookPercent: 0 }),
      c('c', { handbookPercent: 0 }),
    ]);
    expect(criterionProgress(parent).percent).toBe(33.3);
  });
});

describe('overall', () => {
  it('is the mean of the top-level criteria that have a figure, with how many do', () => {
    const top = [c('a', { handbookPercent: 100 }), c('b', { handbookPercent: 50 }), c('c')].map(
      criterionProgress,
    );
    expect(overallProgress(top)).toEqual({ overall: 75, coverage: { measured: 2, total: 3 } });
    expect(overallPercent(top)).toBe(75);
  });

  it('counts a measured 0 % as measured', () => {
    const top = [c('a', { handbookPercent: 0 }), c('b')].map(criterionProgress);
    expect(overallProgress(top)).toEqual({ overall: 0, coverage: { measured: 1, total: 2 } });
  });

  it('is null, not 0, when no criterion has a figure, or there are none', () => {
    const top = [c('a'), c('b', {}, [c('x')])].map(criterionProgress);
    expect(overallProgress(top)).toEqual({ overall: null, coverage: { measured: 0, total: 2 } });
    expect(overallProgress([])).toEqual({ overall: null, coverage: { measured: 0, total: 0 } });
  });

  it('ignores sub-items except through their parent', () => {
    const top = [c('a', { handbookPercent: 100 }, [c('x', { handbookPercent: 0 })])].map(criterionProgress);
    expect(overallPercent(top)).toBe(100);
  });
});

describe('flattenProgress', () => {
  it('numbers nodes the way people do', () => {
    const tree = [c('a', {}, [c('a1'), c('a2')]), c('b')].map(criterionProgress);
    expect(flattenProgress(tree).map((n) => `${n.path}:${n.node.title}:${n.depth}`)).toEqual([
      '1:a:0',
      '1.1:a1:1',
      '1.2:a2:1',
      '2:b:0',
    ]);
  });
});
