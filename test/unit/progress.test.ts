import { describe, expect, it } from 'vitest';
import { linkedPercent, type MemberFigures } from '../../src/domain/progress.js';

const issue = (state: 'open' | 'done', fields: Partial<MemberFigures> = {}): MemberFigures => ({
  source: 'gitlab_issue',
  state,
  weight: null,
  tasksCompleted: null,
  tasksTotal: null,
  ...fields,
});

describe('linkedPercent', () => {
  it('counts closed children over all children', () => {
    expect(linkedPercent('epic', [issue('done'), issue('open'), issue('open'), issue('done')])).toBe(50);
    expect(linkedPercent('milestone', [issue('done'), issue('open'), issue('open')])).toBe(33.3);
  });

  it('weights children when any has a weight, the others weighing 1', () => {
    expect(linkedPercent('issues', [issue('done', { weight: 3 }), issue('open')])).toBe(75);
    expect(linkedPercent('issues', [issue('done', { weight: 0 }), issue('open', { weight: 0 })])).toBe(50);
  });

  it('counts child epics as children', () => {
    expect(linkedPercent('epic', [issue('done'), { ...issue('open'), source: 'gitlab_epic' }])).toBe(50);
  });

  it('falls back to the epic task list when there are no children', () => {
    const task = (state: 'open' | 'done') => ({ ...issue(state), source: 'epic_task' as const });
    expect(linkedPercent('epic', [task('done'), task('open'), task('open'), task('open')])).toBe(25);
  });

  it('reads one issue from its task list, else from its state', () => {
    expect(linkedPercent('issue', [issue('open', { tasksCompleted: 3, tasksTotal: 4 })])).toBe(75);
    expect(linkedPercent('issue', [issue('done')])).toBe(100);
    expect(linkedPercent('issue', [issue('open')])).toBe(0);
  });

  it('is unknown with nothing to count', () => {
    expect(linkedPercent('epic', [])).toBeNull();
    expect(linkedPercent('issue', [])).toBeNull();
  });
});
