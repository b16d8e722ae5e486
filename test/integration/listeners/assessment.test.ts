import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blockAction, type Seeded, startSeeded } from '../../helpers/listeners.js';

/**
 * The self-assessment listeners at their edges (the whole round is in assessmentRound.test.ts): the
 * Answer button (listeners/actions/assessOpen.ts), the form's submission
 * (listeners/views/assessmentSubmitted.ts) and Create backlog issues (listeners/actions/assessIssues.ts).
 */
let s: Seeded;
beforeEach(async () => {
  s = await startSeeded();
});
afterEach(() => s.stop());

async function slash(text: string, user: string, id: string) {
  await s.wgbot.slash(text, { user, channel: 'C0WG', responseUrl: s.slack.responseUrl(id) });
  return (await s.later(id)).text;
}

const submit = (user: string, metadata: string, values: Record<string, unknown> = {}) =>
  s.wgbot.interact({
    type: 'view_submission',
    team: { id: 'T0FAKE', domain: 'fake' },
    user: { id: user, username: user.toLowerCase(), team_id: 'T0FAKE' },
    api_app_id: 'A0FAKE',
    token: 'legacy',
    trigger_id: 'trig',
    view: {
      id: 'VA',
      type: 'modal',
      callback_id: 'wg_assessment',
      private_metadata: metadata,
      state: { values },
    },
  });

const roundOf = () =>
  s.wgbot.server.store.db.prepare('SELECT id FROM assessment_rounds ORDER BY id DESC').get() as {
    id: number;
  };

describe('self-assessment listeners', () => {
  it('lets a product owner start a round; a member without that role may not', async () => {
    expect(await slash('assess start', 'U0KENNY', 'kenny')).toContain('Only facilitators');
    await slash('role add <@U0KENNY> Product Owner', 'U0JOANNA', 'role');
    expect(await slash('assess start', 'U0KENNY', 'po')).toMatch(/^Round started: \d+ members? asked by DM/);
    expect(await slash('assess start', 'U0JOANNA', 'again')).toBe(
      'A round is open already: `/wg assess close` ends it.',
    );
  });

  it('refuses the form from someone the round was not sent to, and after the round closed', async () => {
    await slash('assess start', 'U0JOANNA', 'start');
    const { id } = roundOf();
    const stranger = await submit('U0ADA', JSON.stringify({ roundId: id }));
    expect(stranger.json).toMatchObject({
      response_action: 'errors',
      errors: { 'score:unit-tests': 'This round was not sent to you.' },
    });
    await slash('assess close', 'U0JOANNA', 'close');
    const late = await submit('U0JOANNA', JSON.stringify({ roundId: id }));
    expect(late.json).toMatchObject({
      response_action: 'errors',
      errors: { 'score:unit-tests': expect.stringContaining('has closed') },
    });
    // A forged form without a round closes without saving anything.
    expect((await submit('U0JOANNA', 'not json')).text).toBe('');
    expect(s.wgbot.server.store.db.prepare('SELECT count(*) AS n FROM assessment_answers').get()).toEqual({
      n: 0,
    });
  });

  it('answers the Answer button of a closed round by DM instead of a form', async () => {
    await slash('assess start', 'U0JOANNA', 'start');
    const { id } = roundOf();
    await slash('assess close', 'U0JOANNA', 'close');
    await s.wgbot.interact(
      blockAction('U0THOR', { action_id: 'assess_open', block_id: `assess|${id}`, value: String(id) }),
    );
    const dm = await s.slack.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === 'U0THOR' && String(c.args.text).includes('closed'),
    );
    expect(dm.args.text).toBe('That self-assessment round is closed: answers are no longer taken.');
    expect(s.slack.callsTo('views.open')).toHaveLength(0);
  });

  it('files no issues from a round with fewer than three answers, and none for an open round', async () => {
    await slash('assess start', 'U0JOANNA', 'start');
    const { id } = roundOf();
    const press = async (ref: string) => {
      await s.wgbot.interact(
        blockAction(
          'U0JOANNA',
          { action_id: 'assess_issues', block_id: `assess|${id}`, value: String(id) },
          { response_url: s.slack.responseUrl(ref) },
        ),
      );
      return (await s.later(ref)).text;
    };
    expect(await press('open')).toBe('That round is not closed, or not this group’s.');
    await slash('assess close', 'U0JOANNA', 'close');
    expect(await press('closed')).toBe('wgbot has no GITLAB_TOKEN: it cannot file issues.');
  });

  it('reminds nobody within 12 hours of asking them, even in a short round', async () => {
    // Monday 09:00 UTC; due Tuesday 17:00 UTC: the whole round is within the last two days.
    await slash('assess start 2026-11-24', 'U0JOANNA', 'short');
    const reminders = () =>
      s.slack
        .callsTo('chat.postMessage')
        .filter((c) => c.args.channel === 'U0KENNY' && String(c.args.text).startsWith('Reminder'));
    for (let t = s.clock.now().getTime(); t <= Date.parse('2026-11-24T09:00:00Z'); t += 15 * 60_000) {
      s.clock.set(new Date(t));
      await s.wgbot.server.scheduler.tick(new Date(t));
      if (t < Date.parse('2026-11-24T09:00:00Z')) expect(reminders()).toHaveLength(0);
    }
    // Kenny works in UTC: Tuesday 09:00 is the first working hour 12 hours after he was asked.
    expect(reminders()).toHaveLength(1);
  });
});
