import { describe, expect, it } from 'vitest';
import { criterionProgress, flattenProgress, overallPercent } from '../../src/domain/criteria.js';
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

  it('rolls sub-items up into a parent without its own figure, counting unknown sub-items as 0%', () => {
    const parent = c('p', {}, [
      c('a', { handbookPercent: 100 }),
      c('b', { handbookPercent: 50 }),
      c('unknown'),
    ]);
    expect(criterionProgress(parent)).toMatchObject({ percent: 50, source: 'rollup' });
  });

  it("keeps a parent's own figure even when its sub-items say otherwise", () => {
    const parent = c('p', { handbookPercent: 100 }, [c('link only'), c('other')]);
    expect(criterionProgress(parent)).toMatchObject({ percent: 100, source: 'handbook' });
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
    const parent = c('p', {}, [c('a', { handbookPercent: 100 }), c('b'), c('c')]);
    expect(criterionProgress(parent).percent).toBe(33.3);
  });
});

describe('overall', () => {
  it('is the mean of the top-level criteria, unknown ones counting 0', () => {
    const top = [c('a', { handbookPercent: 100 }), c('b', { handbookPercent: 50 }), c('c')].map(
      criterionProgress,
    );
    expect(overallPercent(top)).toBe(50);
  });

  it('is 0 with no criteria', () => {
    expect(overallPercent([])).toBe(0);
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
