import { describe, expect, it } from 'vitest';
import {
  currentStep,
  DEFAULT_LADDER,
  type LadderFacts,
  ladderState,
  parseLadderSettings,
} from '../../src/domain/ladder.js';

/** An item due Nov 16, seen on `today`, with nothing reached yet unless `more` says so. */
function facts(today: string, more: Partial<LadderFacts> = {}): LadderFacts {
  return {
    today,
    overdueSince: '2026-11-16',
    unansweredNudges: 0,
    reached: {},
    holdUntil: null,
    blocked: false,
    ...more,
  };
}

describe('escalation ladder: which step is due', () => {
  it('is quiet for an item that is not overdue', () => {
    expect(ladderState(facts('2026-11-20', { overdueSince: null }))).toEqual({ kind: 'quiet' });
  });

  it('starts with the owner; the facilitators are next, M days after the item fell due', () => {
    expect(ladderState(facts('2026-11-17'))).toEqual({
      kind: 'climbing',
      due: [{ step: 'owner', reason: 'overdue' }],
      next: { step: 'owner', on: null },
    });
    expect(ladderState(facts('2026-11-17', { reached: { owner: '2026-11-17' } }))).toEqual({
      kind: 'climbing',
      due: [],
      next: { step: 'facilitators', on: '2026-11-21' },
    });
  });

  it('asks the facilitators after N unanswered reminders, before M days have passed', () => {
    const reached = { owner: '2026-11-17' };
    expect(ladderState(facts('2026-11-19', { reached, unansweredNudges: 2 })).kind).toBe('climbing');
    expect(ladderState(facts('2026-11-19', { reached, unansweredNudges: 2 }))).toMatchObject({ due: [] });
    expect(ladderState(facts('2026-11-19', { reached, unansweredNudges: 3 }))).toEqual({
      kind: 'climbing',
      due: [{ step: 'facilitators', reason: 'nudges' }],
      next: { step: 'sponsor', on: '2026-11-29' },
    });
  });

  it('asks the facilitators M days late even with no reminder sent (an owner wgbot cannot reach)', () => {
    expect(ladderState(facts('2026-11-20'))).toMatchObject({ due: [{ step: 'owner' }] });
    expect(ladderState(facts('2026-11-21'))).toEqual({
      kind: 'climbing',
      due: [
        { step: 'owner', reason: 'overdue' },
        { step: 'facilitators', reason: 'late' },
      ],
      next: { step: 'owner', on: null },
    });
  });

  it('asks the executive sponsor K days after the facilitators, and then nobody more', () => {
    const reached = { owner: '2026-11-17', facilitators: '2026-11-19' };
    expect(ladderState(facts('2026-11-28', { reached, unansweredNudges: 9 }))).toEqual({
      kind: 'climbing',
      due: [],
      next: { step: 'sponsor', on: '2026-11-29' },
    });
    expect(ladderState(facts('2026-11-29', { reached }))).toEqual({
      kind: 'climbing',
      due: [{ step: 'sponsor', reason: 'after-facilitators' }],
      next: null,
    });
    const top = { ...reached, sponsor: '2026-11-30' };
    expect(ladderState(facts('2026-12-20', { reached: top, unansweredNudges: 30 }))).toEqual({
      kind: 'climbing',
      due: [],
      next: null,
    });
  });

  it('each step once: a step reached is never due again', () => {
    const reached = { owner: '2026-11-17', facilitators: '2026-11-19', sponsor: '2026-11-29' };
    for (const today of ['2026-11-20', '2026-12-01', '2027-01-15']) {
      const state = ladderState(facts(today, { reached, unansweredNudges: 50, blocked: true }));
      expect(state).toEqual({ kind: 'climbing', due: [], next: null });
    }
  });

  it('jumps to the facilitators when the owner is blocked, whatever the counts', () => {
    expect(ladderState(facts('2026-11-17', { reached: { owner: '2026-11-17' }, blocked: true }))).toEqual({
      kind: 'climbing',
      due: [{ step: 'facilitators', reason: 'blocked' }],
      next: { step: 'sponsor', on: '2026-11-27' },
    });
  });

  it('hears a blocked owner even during a hold, and for an item not counted overdue', () => {
    const state = ladderState(
      facts('2026-11-30', { overdueSince: null, holdUntil: '2026-12-18', blocked: true }),
    );
    expect(state).toEqual({
      kind: 'climbing',
      due: [{ step: 'facilitators', reason: 'blocked' }],
      next: { step: 'sponsor', on: '2026-12-10' },
    });
  });

  it("stops while the owner's new date lasts, and counts lateness from it afterwards", () => {
    const reached = { owner: '2026-11-17' };
    const held = facts('2026-11-30', { reached, holdUntil: '2026-12-04', unansweredNudges: 5 });
    expect(ladderState(held)).toEqual({ kind: 'held', until: '2026-12-04', resumes: '2026-12-05' });
    expect(ladderState({ ...held, today: '2026-12-04' }).kind).toBe('held');
    // The day after: late from Dec 4, so the facilitators are five days later — unless reminders go unanswered.
    const after = { ...held, today: '2026-12-05', unansweredNudges: 0 };
    expect(ladderState(after)).toEqual({
      kind: 'climbing',
      due: [],
      next: { step: 'facilitators', on: '2026-12-09' },
    });
    expect(ladderState({ ...after, today: '2026-12-09' })).toMatchObject({
      due: [{ step: 'facilitators', reason: 'late' }],
    });
  });

  it('a hold counts even while the item is not counted overdue (its new date snoozes it)', () => {
    const state = ladderState(facts('2026-11-30', { overdueSince: null, holdUntil: '2026-12-18' }));
    expect(state).toEqual({ kind: 'held', until: '2026-12-18', resumes: '2026-12-19' });
  });

  it("a hold after the facilitators delays the sponsor: K days from the hold's end", () => {
    const reached = { owner: '2026-11-17', facilitators: '2026-11-19' };
    const state = ladderState(facts('2026-11-30', { reached, holdUntil: '2026-11-25' }));
    expect(state).toEqual({ kind: 'climbing', due: [], next: { step: 'sponsor', on: '2026-12-05' } });
  });

  it('follows the group’s own settings', () => {
    const settings = { afterNudges: 1, afterLateDays: 2, sponsorAfterDays: 3 };
    const reached = { owner: '2026-11-17' };
    expect(ladderState(facts('2026-11-17', { reached, unansweredNudges: 1 }), settings)).toMatchObject({
      due: [{ step: 'facilitators', reason: 'nudges' }],
      next: { step: 'sponsor', on: '2026-11-20' },
    });
    expect(ladderState(facts('2026-11-18', { reached }), settings)).toMatchObject({
      due: [{ step: 'facilitators', reason: 'late' }],
    });
  });

  it('names the highest step reached', () => {
    expect(currentStep({})).toBeNull();
    expect(currentStep({ owner: 'x' })).toBe('owner');
    expect(currentStep({ owner: 'x', facilitators: 'y' })).toBe('facilitators');
    expect(currentStep({ facilitators: 'y', sponsor: 'z' })).toBe('sponsor');
  });
});

describe('/wg escalation N M K', () => {
  it('reads three whole numbers within bounds', () => {
    expect(parseLadderSettings(['3', '5', '10'])).toEqual({ ok: true, settings: DEFAULT_LADDER });
    expect(parseLadderSettings(['1', '365', '1'])).toMatchObject({ ok: true });
  });

  it('says what is wrong with anything else', () => {
    expect(parseLadderSettings(['3', '5'])).toEqual({ ok: false, reason: 'Give three numbers: N M K.' });
    expect(parseLadderSettings(['0', '5', '10'])).toEqual({
      ok: false,
      reason: '`0` is not a whole number from 1 to 60.',
    });
    expect(parseLadderSettings(['3', '5.5', '10'])).toMatchObject({ ok: false });
    expect(parseLadderSettings(['3', '5', '366'])).toMatchObject({ ok: false });
    expect(parseLadderSettings(['3', '-1', '10'])).toMatchObject({ ok: false });
  });
});
